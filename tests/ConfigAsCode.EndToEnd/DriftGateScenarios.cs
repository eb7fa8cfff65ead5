using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>The drift-gate scenarios, each a real `dotnet build` of a temporary project against the packed package.</summary>
public sealed class DriftGateScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private static readonly Dictionary<string, string> InCi = new() { ["CI"] = "true" };

    [Fact]
    public void The_package_has_the_library_the_targets_the_task_and_the_host()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(feed.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("lib/netstandard2.0/ConfigAsCode.dll", entries);
        Assert.Contains("lib/net8.0/ConfigAsCode.dll", entries);
        Assert.Contains("build/ConfigAsCode.props", entries);
        Assert.Contains("build/ConfigAsCode.targets", entries);
        Assert.Contains("buildTransitive/ConfigAsCode.props", entries);
        Assert.Contains("tasks/netstandard2.0/ConfigAsCode.Build.dll", entries);
        Assert.Contains("tools/host/ConfigAsCode.Host.dll", entries);
        Assert.Contains("tools/host/ConfigAsCode.Host.runtimeconfig.json", entries);
        Assert.Contains("tools/host/YamlDotNet.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn4.11/cs/ConfigAsCode.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn4.11/cs/ConfigAsCode.CodeFixes.dll", entries);
        Assert.Contains("build/ConfigAsCode.Strict.globalconfig", entries);
        var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.DoesNotContain("<dependency ", nuspec, StringComparison.Ordinal);
    }

    [Fact]
    public void S1_a_first_build_without_snapshots_reports_CAC9002_with_the_accept_command()
    {
        var project = new ConfigProject(feed, output);

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC9002"], DotNet.ErrorCodes(build.Output));
        Assert.Contains("dotnet build -p:ConfigAsCodeAcceptChanges=true", build.Output, StringComparison.Ordinal);
        Assert.Matches(@"Deployments\.cs\(\d+\): error CAC9002: prod/chat:", build.Output);
        Assert.False(Directory.Exists(project.Snapshots), "a failing gate must not write the snapshot folder");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" true ")]
    [InlineData("1")]
    public void A_ConfigAsCodeEnabled_that_is_empty_spaced_or_not_false_keeps_the_gate_on(string value)
    {
        // The default is documented as true and only false turns the step off: an empty value on the command line (a
        // script's unset variable: -p:ConfigAsCodeEnabled=$GATE) cannot be defaulted by the props, and skipped the gate.
        var project = new ConfigProject(feed, output);

        var build = project.Build($"\"-p:ConfigAsCodeEnabled={value}\"");
        var off = project.Build("-p:ConfigAsCodeEnabled=False");

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("CAC9002", DotNet.ErrorCodes(build.Output));
        Assert.True(off.Succeeded, off.ToString());
    }

    [Fact]
    public void S2_accepting_then_rebuilding_passes_and_git_sees_the_new_files()
    {
        var project = new ConfigProject(feed, output);
        project.Git("init -q");

        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        var rebuild = project.Build();

        Assert.True(accept.Succeeded, accept.ToString());
        Assert.True(rebuild.Succeeded, rebuild.ToString());
        Assert.Contains("no drift", rebuild.Output, StringComparison.Ordinal);
        var status = project.Git("status --porcelain --untracked-files=all deploy").Output;
        Assert.Contains("deploy/prod/chat/deployment-chat.yaml", status, StringComparison.Ordinal);
        Assert.Contains("deploy/prod/kustomization.yaml", status, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_changing_a_batching_knob_reports_CAC9001_with_the_field_path()
    {
        var project = Accepted();
        project.WriteDeployments(maxNumSeqs: 32);

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC9001"], DotNet.ErrorCodes(build.Output));
        Assert.Contains("prod/chat/deployment-chat.yaml: spec.template.spec.containers[vllm].args --max-num-seqs: 64 → 32", build.Output, StringComparison.Ordinal);
        Assert.Contains("0 to add, 3 to change, 0 to remove", build.Output, StringComparison.Ordinal); // chat and summarize share the knob, and the cost snapshot moves
        Assert.True(File.Exists(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "drift.diff")));
    }

    [Fact]
    public void S4_accepting_in_CI_is_refused_with_CAC9005_and_the_snapshots_stay()
    {
        var project = Accepted();
        var before = project.SnapshotBytes();
        project.WriteDeployments(maxNumSeqs: 32);

        var build = project.Build("-p:ConfigAsCodeAcceptChanges=true", InCi);

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("CAC9005", DotNet.ErrorCodes(build.Output));
        Assert.Contains("CI=true", build.Output, StringComparison.Ordinal);
        Assert.Equal(before, project.SnapshotBytes());

        // CI declared only on the command line, as an MSBuild property the environment does not have.
        var property = project.Build("-p:ConfigAsCodeAcceptChanges=true -p:CI=true");
        Assert.False(property.Succeeded, property.ToString());
        Assert.Contains("CAC9005", DotNet.ErrorCodes(property.Output));
        Assert.Contains("CI=true (MSBuild property)", property.Output, StringComparison.Ordinal);
        Assert.Equal(before, project.SnapshotBytes());
    }

    [Fact]
    public void S5_removing_a_deployment_reports_CAC9003_for_its_orphaned_snapshots()
    {
        var project = Accepted();
        project.WriteDeployments(includeSecondModel: false);

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("CAC9003", DotNet.ErrorCodes(build.Output));
        Assert.Contains("prod/summarize/deployment-summarize.yaml: committed snapshot is no longer generated", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void S6_user_code_that_throws_reports_CAC9004_naming_the_member_and_leaves_snapshots_untouched()
    {
        var project = Accepted();
        var before = project.SnapshotBytes();
        project.WriteDeployments(throwInDeclare: true);

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC9004"], DotNet.ErrorCodes(build.Output));
        Assert.Contains("E2E.Platform.Declare() threw System.InvalidOperationException: price sheet not found", build.Output, StringComparison.Ordinal);
        Assert.Equal(before, project.SnapshotBytes());
    }

    [Fact]
    public void S7_a_no_op_rebuild_does_not_start_the_host()
    {
        var project = Accepted();
        var report = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "report.json");
        var stamp = File.GetLastWriteTimeUtc(report);

        var build = project.Build("-v:detailed");

        Assert.True(build.Succeeded, build.ToString());
        Assert.Contains("Skipping target \"_ConfigAsCodeRun\" because all output files are up-to-date", build.Output, StringComparison.Ordinal);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(report));

        // The snapshot folder was signed on another thread as the build started, and the signature handed over.
        Assert.Contains("ConfigAsCode: the snapshot folder was signed as the build started.", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void S8_two_config_projects_built_in_parallel_are_both_correct()
    {
        var first = Accepted("Alpha");
        var second = Accepted("Beta");
        first.WriteDeployments(maxNumSeqs: 16);
        var dirs = Path.Combine(feed.Root, "projects", "Parallel-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dirs);
        File.WriteAllText(Path.Combine(dirs, "build.proj"), $"""
            <Project>
              <Target Name="Build">
                <MSBuild Projects="{first.ProjectFile};{second.ProjectFile}" Targets="Restore" Properties="_Restore=1" />
                <MSBuild Projects="{first.ProjectFile};{second.ProjectFile}" Targets="Build" BuildInParallel="true" ContinueOnError="true" />
              </Target>
            </Project>
            """);

        var build = DotNet.Run(dirs, "msbuild build.proj -m:2 -nodeReuse:false", null, feed.Packages);
        output.WriteLine(build.ToString());

        Assert.Contains("Alpha", build.Output, StringComparison.Ordinal);
        Assert.Contains("prod/chat/deployment-chat.yaml: spec.template.spec.containers[vllm].args --max-num-seqs: 64 → 16", build.Output, StringComparison.Ordinal);
        Assert.Contains(build.Output.Split('\n'), l => l.Contains("error CAC9001", StringComparison.Ordinal) && l.Contains("Alpha", StringComparison.Ordinal));
        Assert.DoesNotContain(build.Output.Split('\n'), l => l.Contains("error", StringComparison.Ordinal) && l.Contains("Beta", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(second.Directory, "obj", "Debug", "net10.0", "configascode", "report.json")));
    }

    [Fact]
    public void S9_a_project_without_the_package_is_unaffected_even_when_it_references_a_config_project()
    {
        var config = Accepted("Config");
        var app = feed.NewProjectDirectory("App");
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><ProjectReference Include="{config.ProjectFile}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), "public static class Program { public static void Main() { } }\n");

        var build = DotNet.Run(app, "build App.csproj -nodeReuse:false", null, feed.Packages);
        output.WriteLine(build.ToString());

        Assert.True(build.Succeeded, build.ToString());
        Assert.False(Directory.Exists(Path.Combine(app, "deploy")));
        Assert.False(Directory.Exists(Path.Combine(app, "obj", "Debug", "net10.0", "configascode")));
        Assert.Empty(DotNet.ErrorCodes(build.Output));
    }

    [Fact]
    public void S10_the_per_app_layout_switched_in_the_project_file_gates_object_by_object_and_a_wrong_value_is_CAC9015()
    {
        var project = Accepted();
        var before = project.SnapshotBytes();

        // A typo is refused before anything is compared or written.
        project.AddToProject("<PropertyGroup><ConfigAsCodeLayout>per-app</ConfigAsCodeLayout></PropertyGroup>");
        var typo = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.False(typo.Succeeded, typo.ToString());
        Assert.Equal(["CAC9015"], DotNet.ErrorCodes(typo.Output));
        Assert.Contains("ConfigAsCodeLayout is 'per-app'; it must be object", typo.Output, StringComparison.Ordinal);
        Assert.Equal(before, project.SnapshotBytes());

        // The property alone re-runs the gate, which explains the move and will not accept it without the count.
        File.WriteAllText(project.ProjectFile, File.ReadAllText(project.ProjectFile).Replace(">per-app<", ">App<", StringComparison.Ordinal)); // case-insensitive, as MSBuild compares values
        var switched = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.False(switched.Succeeded, switched.ToString());
        Assert.Contains("was accepted in the 'object' layout and ConfigAsCodeLayout is 'app'", switched.Output, StringComparison.Ordinal);
        var count = System.Text.RegularExpressions.Regex.Match(switched.Output, @"-p:ConfigAsCodeAllowRemovals=(\d+) \(the exact count\)").Groups[1].Value;
        Assert.NotEmpty(count);
        Assert.Equal(before, project.SnapshotBytes());

        var accept = project.Build($"-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeAllowRemovals={count}");
        Assert.True(accept.Succeeded, accept.ToString());
        Assert.True(project.Build().Succeeded);
        Assert.True(File.Exists(Path.Combine(project.Snapshots, "prod", "chat", "manifests.yaml")));
        Assert.False(File.Exists(Path.Combine(project.Snapshots, "prod", "chat", "deployment-chat.yaml")));
        Assert.Contains("- manifests.yaml", File.ReadAllText(Path.Combine(project.Snapshots, "prod", "chat", "kustomization.yaml")), StringComparison.Ordinal);

        project.WriteDeployments(maxNumSeqs: 32);
        var build = project.Build();
        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC9001"], DotNet.ErrorCodes(build.Output));
        Assert.Contains("prod/chat/manifests.yaml: [Deployment/chat] spec.template.spec.containers[vllm].args --max-num-seqs: 64 → 32", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void S10_a_relative_snapshot_folder_of_a_project_built_through_a_link_is_the_folder_checked()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a symbolic link to a folder needs a privilege there
        }

        // Built through a link, the working directory is the physical path while MSBuild spells the project folder
        // through the link: a relative folder resolved against each named two folders, and the host refused it.
        var project = new ConfigProject(feed, output, "Linked");
        project.AddToProject("<PropertyGroup><ConfigAsCodeSnapshotDirectory>gitops</ConfigAsCodeSnapshotDirectory></PropertyGroup>");
        var link = Path.Combine(feed.Root, "projects", "link-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateSymbolicLink(link, project.Directory);
        DotNet.Result Build(string arguments = "")
        {
            var result = DotNet.Run(link, $"build \"{Path.Combine(link, project.Name + ".csproj")}\" -nodeReuse:false {arguments}", nugetPackages: feed.Packages);
            output.WriteLine(result.ToString());
            return result;
        }

        var accept = Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        var manifest = Path.Combine(project.Directory, "gitops", "prod", "chat", "deployment-chat.yaml");
        Assert.Contains("--max-num-seqs=64", File.ReadAllText(manifest), StringComparison.Ordinal);
        Assert.True(Build().Succeeded);

        // An edit of the snapshot through the physical path is drift for the next build through the link.
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("--max-num-seqs=64", "--max-num-seqs=32", StringComparison.Ordinal));
        var build = Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(["CAC9001"], DotNet.ErrorCodes(build.Output));
    }

    private ConfigProject Accepted(string name = "Platform")
    {
        var project = new ConfigProject(feed, output, name);
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        var clean = project.Build();
        Assert.True(clean.Succeeded, clean.ToString());
        return project;
    }
}
