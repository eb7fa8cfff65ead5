using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The gate reads the severities and thresholds the analyzer reads (issue #18): <c>.editorconfig</c> sections for
/// the file that declares a deployment, global configs, bulk category settings, and a CI build's mapped paths.
/// </summary>
public sealed class AnalyzerConfigScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private static int Count(string output, string text) => Regex.Matches(output, Regex.Escape(text)).Count;

    private ConfigProject TypoProject(string name)
    {
        // A typo in the model id: the catalog does not know it, so the gate warns (CAC3010, build time only).
        var project = new ConfigProject(feed, output, name);
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("Id = \"meta-llama/Llama-3.1-8B-Instruct\", Revision", "Id = \"meta-llama/Llama-3.1-8B-Instrcut\", Revision", StringComparison.Ordinal));
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true -p:RunAnalyzers=false");
        Assert.True(accept.Succeeded, accept.ToString());
        Assert.Contains("warning CAC3010", accept.Output, StringComparison.Ordinal);
        return project;
    }

    [Fact]
    public void An_editorconfig_severity_silences_a_build_time_rule_for_the_files_its_section_matches_also_in_a_deterministic_CI_build()
    {
        var project = TypoProject("EditorConfig");
        var editorconfig = Path.Combine(project.Directory, ".editorconfig");

        File.WriteAllText(editorconfig, "root = true\n\n[Other.cs]\ndotnet_diagnostic.CAC3010.severity = none\n");
        var otherFile = project.Build();
        File.WriteAllText(editorconfig, "root = true\n\n[Deployments.cs]\ndotnet_diagnostic.CAC3010.severity = none\n");
        var silenced = project.Build();
        // What a deterministic CI build records for caller information: /_/Deployments.cs (SourceLink maps the
        // repository root the same way).
        var pathMap = $"-p:ContinuousIntegrationBuild=true -p:PathMap={project.Directory}/=/_/";
        var deterministic = project.Build(pathMap);
        File.WriteAllText(editorconfig, "root = true\n\n[*.cs]\ndotnet_diagnostic.CAC3010.severity = error\n");
        var raised = project.Build(pathMap);

        Assert.True(otherFile.Succeeded, otherFile.ToString());
        Assert.Contains("warning CAC3010", otherFile.Output, StringComparison.Ordinal);
        Assert.True(silenced.Succeeded, silenced.ToString());
        Assert.DoesNotContain("CAC3010", silenced.Output, StringComparison.Ordinal);
        Assert.True(deterministic.Succeeded, deterministic.ToString());
        Assert.DoesNotContain("CAC3010", deterministic.Output, StringComparison.Ordinal);

        // Raised to an error in a deterministic build (paths recorded as /_/...), the finding points at the real file.
        Assert.False(raised.Succeeded);
        Assert.Contains("CAC3010", DotNet.ErrorCodes(raised.Output));
        var line = raised.Output.Split('\n').First(l => l.Contains("error CAC3010", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(project.Directory, "Deployments.cs"), line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_editorconfig_saved_while_the_config_code_runs_never_has_its_new_content_stand_for_the_old_in_a_reused_verdict()
    {
        var project = TypoProject("EditorConfigSaved");
        var editorconfig = Path.Combine(project.Directory, ".editorconfig");
        File.WriteAllText(editorconfig, "root = true\n\n[Deployments.cs]\ndotnet_diagnostic.CAC3010.severity = none\n");
        var silenced = project.Build();
        Assert.True(silenced.Succeeded, silenced.ToString());
        Assert.DoesNotContain("CAC3010", silenced.Output, StringComparison.Ordinal);

        // The file is saved without the setting while the host evaluates the config code (an editor's save during a
        // build, made certain here by the config code saving it, on the line it already had). That run was judged by
        // the file as it read it: it must not be recorded under the content saved since.
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("yield return chat;", $"System.IO.File.WriteAllText(@\"{editorconfig}\", \"root = true\\n\"); yield return chat;", StringComparison.Ordinal));
        File.Delete(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "verdict.json"));
        var saved = project.Build("-v:n");
        Assert.True(saved.Succeeded, saved.ToString());
        Assert.Contains("the gate runs in full", saved.Output, StringComparison.Ordinal);
        Assert.Equal("root = true\n", File.ReadAllText(editorconfig));

        // The next build reads the file as saved: the warning is back, found by a full run, not a reused silence.
        File.AppendAllText(Path.Combine(project.Directory, "Deployments.cs"), "\n// an edit that changes no value\n");
        var next = project.Build("-v:n");
        Assert.True(next.Succeeded, next.ToString());
        Assert.DoesNotContain("its verdict and reports are reused", next.Output, StringComparison.Ordinal);
        Assert.Contains("warning CAC3010", next.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_path_mapped_back_to_another_file_since_the_last_pass_is_never_a_reused_verdict()
    {
        // A hand-set PathMap beside the project's: two folders recorded as /_/, and the declaration's file is whichever
        // of them has it. A file that appears in the first changes where every finding points, and which .editorconfig
        // section applies: the last verdict names the other file.
        var project = TypoProject("PathMapCandidates");
        var other = Path.Combine(Path.GetTempPath(), "cac-pathmap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(other);
        try
        {
            var pathMap = $"-v:n \"-p:PathMap={other}/=/_/%2C{project.Directory}/=/_/\"";
            var first = project.Build(pathMap);
            Assert.True(first.Succeeded, first.ToString());
            Assert.Contains(Path.Combine(project.Directory, "Deployments.cs"), first.Output.Split('\n').First(l => l.Contains("warning CAC3010", StringComparison.Ordinal)), StringComparison.Ordinal);

            File.Copy(Path.Combine(project.Directory, "Deployments.cs"), Path.Combine(other, "Deployments.cs"));
            File.AppendAllText(Path.Combine(project.Directory, "Deployments.cs"), "\n// an edit that changes no value\n");
            var moved = project.Build(pathMap);
            Assert.True(moved.Succeeded, moved.ToString());
            Assert.DoesNotContain("its verdict and reports are reused", moved.Output, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(other, "Deployments.cs"), moved.Output.Split('\n').First(l => l.Contains("warning CAC3010", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void A_local_build_after_a_deterministic_CI_build_compiles_the_declarations_at_their_real_paths_again()
    {
        // In a repository the SDK maps the source root to /_/ for a deterministic CI build, just before compiling.
        var project = TypoProject("AfterCiBuild");
        project.Git("init -q -b main");
        project.Git("-c user.email=e2e@example.com -c user.name=e2e add -A");
        project.Git("-c user.email=e2e@example.com -c user.name=e2e commit -q -m base");
        var source = Path.Combine(project.Directory, "Deployments.cs");
        string Finding(DotNet.Result build) => build.Output.Split('\n').First(l => l.Contains("warning CAC3010", StringComparison.Ordinal));

        var ci = project.Build("-p:ContinuousIntegrationBuild=true");
        Assert.True(ci.Succeeded, ci.ToString());
        Assert.Contains(source, Finding(ci), StringComparison.Ordinal);

        // The local build after it must not keep the assembly compiled under /_/: it has no map back from there.
        var local = project.Build();
        Assert.True(local.Succeeded, local.ToString());
        Assert.Contains(source, Finding(local), StringComparison.Ordinal);
        Assert.DoesNotContain("/_/", local.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_and_a_category_setting_apply_to_the_analyzer_and_the_gate_alike_and_a_rule_that_refuses_suppression_stays_an_error()
    {
        var project = new ConfigProject(feed, output, "Thresholds");
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("MaxModelLen = 8192 }", "MaxModelLen = 8192, GpuMemoryUtilization = 0.92 }", StringComparison.Ordinal));
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        Assert.DoesNotContain("CAC3002", accept.Output, StringComparison.Ordinal);

        // 0.92 is under the default ceiling (0.95) but over this project's: the analyzer and the gate both warn.
        File.WriteAllText(Path.Combine(project.Directory, ".globalconfig"), "is_global = true\nconfigascode.max_gpu_memory_utilization = 0.90\n");
        var lowered = project.Build();

        // A category setting silences the GPU rules in the gate; the namespace rule cannot be lowered by any setting.
        File.WriteAllText(Path.Combine(project.Directory, ".globalconfig"),
            "is_global = true\nconfigascode.max_gpu_memory_utilization = 0.90\ndotnet_analyzer_diagnostic.category-ConfigAsCode.GpuFit.severity = none\ndotnet_diagnostic.CAC2008.severity = none\n");
        project.WriteSource("Deployments.cs", File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs")).Replace("Namespace = \"inference\"", "Namespace = \"default\"", StringComparison.Ordinal));
        // Analyzers off: CAC2008 cannot be lowered at edit time either, and its compile error would stop the build
        // before the gate runs.
        var category = project.Build("-p:RunAnalyzers=false");

        Assert.True(lowered.Succeeded, lowered.ToString());
        var analyzerWarnings = lowered.Output.Split('\n').Where(l => l.Contains("warning CAC3002", StringComparison.Ordinal)).ToArray();
        Assert.Contains(analyzerWarnings, l => l.Contains("[prod/chat]", StringComparison.Ordinal));   // the gate's
        Assert.Contains(analyzerWarnings, l => !l.Contains("[prod/chat]", StringComparison.Ordinal));  // the analyzer's

        Assert.False(category.Succeeded);
        Assert.DoesNotContain("CAC3002", category.Output, StringComparison.Ordinal);
        Assert.Contains("CAC2008", DotNet.ErrorCodes(category.Output));
        Assert.Contains("warning CAC9015", category.Output, StringComparison.Ordinal);
        Assert.Contains("CAC2008", category.Output.Split('\n').First(l => l.Contains("warning CAC9015", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.True(Count(category.Output, "error CAC2008") >= 1);
    }

    [Fact]
    public void A_rule_severity_in_a_global_config_applies_to_the_gate_and_the_None_preset_leaves_the_gate_as_it_is()
    {
        var project = TypoProject("GlobalConfigSeverity");
        var globalconfig = Path.Combine(project.Directory, ".globalconfig");

        // dotnet_diagnostic.<ID>.severity of a global config is not among a file's options in Roslyn: the gate must
        // look in the global options too, as the compiler does.
        File.WriteAllText(globalconfig, "is_global = true\ndotnet_diagnostic.CAC3010.severity = error\n");
        var raised = project.Build();
        File.WriteAllText(globalconfig, "is_global = true\ndotnet_diagnostic.CAC3010.severity = none\n");
        var silenced = project.Build();
        File.Delete(globalconfig);

        // The None preset lists the rules that refuse suppression too (the compiler ignores those): the gate must not
        // read it, or it warns about each of them on every build (an error under TreatWarningsAsErrors).
        var none = project.Build("-p:ConfigAsCodeAnalysisMode=None");

        Assert.False(raised.Succeeded, raised.ToString());
        Assert.Contains("CAC3010", DotNet.ErrorCodes(raised.Output));
        Assert.True(silenced.Succeeded, silenced.ToString());
        Assert.DoesNotContain("CAC3010", silenced.Output, StringComparison.Ordinal);
        Assert.True(none.Succeeded, none.ToString());
        Assert.DoesNotContain("CAC9015", none.Output, StringComparison.Ordinal);
        Assert.Contains("warning CAC3010", none.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_severity_a_global_config_or_the_Strict_preset_sets_applies_to_a_deployment_the_gate_locates_in_a_file()
    {
        // The global section of a .globalconfig (and the presets, which are global configs) holds the compilation's
        // severities, which the compiler applies to every file no .editorconfig section configures. The gate must too:
        // a warning raised to an error there passed the gate.
        var project = new ConfigProject(feed, output, "GlobalSeverity");
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("yield return chat with { Name = \"summarize\",", "yield return chat with { Name = \"summarize\", Cost = null!,", StringComparison.Ordinal));
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        Assert.Contains("warning CAC4001", accept.Output, StringComparison.Ordinal);

        var strict = project.Build("-p:ConfigAsCodeAnalysisMode=Strict");
        File.WriteAllText(Path.Combine(project.Directory, ".globalconfig"), "is_global = true\ndotnet_diagnostic.CAC4001.severity = error\n");
        var global = project.Build();
        // A section for the declaring file still comes first, as for the compiler.
        File.WriteAllText(Path.Combine(project.Directory, ".editorconfig"), "root = true\n[*.cs]\ndotnet_diagnostic.CAC4001.severity = warning\n");
        var section = project.Build();

        Assert.False(strict.Succeeded, strict.ToString());
        Assert.Contains("Deployments.cs(9): error CAC4001", strict.Output, StringComparison.Ordinal);
        Assert.False(global.Succeeded, global.ToString());
        Assert.Contains("Deployments.cs(9): error CAC4001", global.Output, StringComparison.Ordinal);
        Assert.True(section.Succeeded, section.ToString());
        Assert.Contains("warning CAC4001", section.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_analyzer_config_edited_with_its_date_kept_re_runs_the_gate()
    {
        // A file copied or restored with its date (cp -p, rsync -a, an archive) is older than the gate's stamp: the
        // up-to-date check must see its content, or the no-op build passes a rule the full run raises to an error.
        var project = new ConfigProject(feed, output, "EditorConfigDate");
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("yield return chat with { Name = \"summarize\",", "yield return chat with { Name = \"summarize\", Cost = null!,", StringComparison.Ordinal));
        var editorConfig = Path.Combine(project.Directory, ".editorconfig");
        File.WriteAllText(editorConfig, "root = true\n[*.cs]\ndotnet_diagnostic.CAC4001.severity = warning\n");
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        Assert.True(project.Build().Succeeded);

        var date = File.GetLastWriteTimeUtc(editorConfig);
        File.WriteAllText(editorConfig, "root = true\n[*.cs]\ndotnet_diagnostic.CAC4001.severity = error\n");
        File.SetLastWriteTimeUtc(editorConfig, date);
        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("error CAC4001", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("up to date", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Strict_preset_reaches_the_analyzer_of_a_package_reference_and_None_leaves_the_gate_its_severities()
    {
        // Roslyn's targets copy @(GlobalAnalyzerConfigFiles) to the compiler before a package's targets add the preset:
        // Strict left the analyzer's warnings warnings in every project that references the package.
        var project = new ConfigProject(feed, output, "Presets");
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        project.WriteSource("Deployments.cs", source.Replace("        yield return chat;", "        yield return chat with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 4 } };", StringComparison.Ordinal));

        var strict = project.Build("-p:ConfigAsCodeAnalysisMode=Strict");
        var none = project.Build("-p:ConfigAsCodeAnalysisMode=None -p:ConfigAsCodeAcceptChanges=true");
        // Case-insensitive, as MSBuild compares it (the file name of 'strict' does not exist on Linux); a typo is coded.
        var lower = project.Build("-p:ConfigAsCodeAnalysisMode=strict");
        var typo = project.Build("-p:ConfigAsCodeAnalysisMode=Stric");

        Assert.False(lower.Succeeded, lower.ToString());
        Assert.Matches(@"Deployments\.cs\(\d+,\d+\): error CAC1006", lower.Output);
        Assert.False(typo.Succeeded, typo.ToString());
        Assert.Equal(["CAC9015"], DotNet.ErrorCodes(typo.Output));

        Assert.False(strict.Succeeded, strict.ToString());
        Assert.Matches(@"Deployments\.cs\(\d+,\d+\): error CAC1006", strict.Output);
        // None: the analyzer is quiet, the gate still reports the rule at its own severity.
        Assert.True(none.Succeeded, none.ToString());
        Assert.DoesNotMatch(@"Deployments\.cs\(\d+,\d+\): \w+ CAC1006", none.Output);
        Assert.Matches(@"Deployments\.cs\(\d+\): warning CAC1006", none.Output);
    }
}
