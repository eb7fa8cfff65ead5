using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// A build after an edit that changes no evaluated value reuses the last passing verdict; every other change, a CI
/// build, a changed output and a user who opts out run the gate in full.
/// </summary>
public sealed class VerdictReuseScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private const string Reused = "its verdict and reports are reused";

    [Fact]
    public void A_comment_reuses_the_verdict_with_the_same_log_and_outputs_and_a_changed_value_runs_in_full()
    {
        var project = Accepted();
        var full = project.Build("-v:n -p:ConfigAsCodeReuseVerdict=false");
        Assert.True(full.Succeeded, full.ToString());
        Assert.DoesNotContain(Reused, full.Output, StringComparison.Ordinal);
        var before = Outputs(project);
        Assert.True(project.Build().Succeeded);

        AppendComment(project);
        var reused = project.Build("-v:n");

        Assert.True(reused.Succeeded, reused.ToString());
        Assert.Contains(Reused, reused.Output, StringComparison.Ordinal);
        Assert.Equal(GateLines(full.Output), GateLines(reused.Output).Where(l => !l.Contains(Reused, StringComparison.Ordinal)));
        Assert.Equal(before, Outputs(project));

        // The record proves the snapshot folder's listing by its folders' statuses (no listing of every file on the next
        // run): on Linux's local file systems, where this runs.
        var record = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "verdict.json")));
        Assert.Equal(System.Text.Json.JsonValueKind.String, record.RootElement.GetProperty("FolderState").ValueKind);

        // A changed value is drift, found by a full run.
        project.WriteDeployments(maxNumSeqs: 32);
        var changed = project.Build("-v:n");
        Assert.False(changed.Succeeded, changed.ToString());
        Assert.DoesNotContain(Reused, changed.Output, StringComparison.Ordinal);
        Assert.Contains("the evaluated deployments or an input of the gate changed", changed.Output, StringComparison.Ordinal);
        Assert.Equal(["CAC9001"], DotNet.ErrorCodes(changed.Output));

        // A failing run records nothing: the next build runs in full, and passes again once the value is back.
        project.WriteDeployments();
        var back = project.Build("-v:n");
        Assert.True(back.Succeeded, back.ToString());
        Assert.DoesNotContain(Reused, back.Output, StringComparison.Ordinal);
        Assert.Equal(before, Outputs(project));
    }

    [Fact]
    public void A_changed_or_removed_output_a_snapshot_edit_CI_the_opt_out_and_user_output_run_the_gate_in_full()
    {
        var project = Accepted();
        var reportMd = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "report.md");
        var original = File.ReadAllBytes(reportMd);

        // An output changed since the run that wrote it is written again.
        File.WriteAllText(reportMd, "edited");
        AppendComment(project);
        var edited = project.Build("-v:n");
        Assert.True(edited.Succeeded, edited.ToString());
        Assert.Contains("an output of the last run was changed or removed", edited.Output, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(reportMd));

        File.Delete(reportMd);
        AppendComment(project);
        var removed = project.Build("-v:n");
        Assert.Contains("an output of the last run was changed or removed", removed.Output, StringComparison.Ordinal);
        Assert.Equal(original, File.ReadAllBytes(reportMd));

        // A snapshot edited by hand is drift, whatever the source says.
        var snapshot = Directory.GetFiles(project.Snapshots, "deployment-chat.yaml", SearchOption.AllDirectories).First();
        var committed = File.ReadAllText(snapshot);
        File.WriteAllText(snapshot, committed.Replace("--max-num-seqs", "--max-num-seqs-edited", StringComparison.Ordinal));
        AppendComment(project);
        var drift = project.Build("-v:n");
        Assert.False(drift.Succeeded, drift.ToString());
        Assert.DoesNotContain(Reused, drift.Output, StringComparison.Ordinal);
        Assert.Contains("CAC9001", DotNet.ErrorCodes(drift.Output));
        File.WriteAllText(snapshot, committed);
        Assert.True(project.Build().Succeeded);

        // A file the gate does not own, or a link, added to the snapshot folder: a full run reads them (a link anywhere
        // there is CAC9011, here in the folder of an app, two levels down), so the key holds the folder's listing (and
        // the inputs file signs the names in it, for the up-to-date check).
        File.WriteAllText(Path.Combine(project.Snapshots, "NOTES.md"), "notes");
        AppendComment(project);
        var foreign = project.Build("-v:n");
        Assert.True(foreign.Succeeded, foreign.ToString());
        Assert.DoesNotContain(Reused, foreign.Output, StringComparison.Ordinal);
        var deep = Path.Combine(Path.GetDirectoryName(snapshot)!, "outside.yaml");
        File.CreateSymbolicLink(deep, "/etc/hostname");
        AppendComment(project);
        var link = project.Build("-v:n");
        Assert.False(link.Succeeded, link.ToString());
        Assert.Contains("CAC9011", DotNet.ErrorCodes(link.Output));
        File.Delete(deep);
        Assert.True(project.Build().Succeeded);

        // CI never reuses (nor records), and the opt-out is honoured.
        AppendComment(project);
        var ci = project.Build("-v:n", new Dictionary<string, string> { ["CI"] = "true" });
        Assert.True(ci.Succeeded, ci.ToString());
        Assert.DoesNotContain(Reused, ci.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(reportMd)!, "verdict.json")), "a CI build must not leave a verdict to reuse");

        Assert.True(project.Build().Succeeded);
        AppendComment(project);
        var optOut = project.Build("-v:n -p:ConfigAsCodeReuseVerdict=false");
        Assert.True(optOut.Succeeded, optOut.ToString());
        Assert.DoesNotContain(Reused, optOut.Output, StringComparison.Ordinal);

        // Config code that prints (printed redacted by what a full run's scan registers), or that changes the process's
        // environment (git reads GIT_DIR for a git: cost baseline) or its current folder, which the gate reads besides
        // the evaluated values: neither reused nor recorded, so the edit after it runs in full too.
        Assert.True(project.Build().Succeeded);
        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        var record = Path.Combine(Path.GetDirectoryName(reportMd)!, "verdict.json");
        foreach (var (statement, why) in new[]
        {
            ("System.Console.WriteLine(\"declaring chat\");", "user code printed to the console"),
            ("System.Environment.SetEnvironmentVariable(\"GIT_DIR\", \"/tmp\");", "user code changed an environment variable or the current folder"),
            // A current folder the config code deleted: the host cannot even read it, and says so instead of failing.
            ("var gone = System.IO.Path.Combine(System.IO.Path.GetTempPath(), System.Guid.NewGuid().ToString(\"N\")); System.IO.Directory.CreateDirectory(gone); System.IO.Directory.SetCurrentDirectory(gone); System.IO.Directory.Delete(gone);", "user code changed an environment variable or the current folder"),
        })
        {
            Assert.True(project.Build().Succeeded);
            project.WriteDeploymentsSource(source.Replace("yield return chat;", statement + " yield return chat;", StringComparison.Ordinal));
            var first = project.Build("-v:n");
            Assert.True(first.Succeeded, first.ToString());
            Assert.Contains(why, first.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(record), "such a run is not recorded");

            // The statement gone, the values are those of the run above: had it been recorded, this would reuse it.
            project.WriteDeploymentsSource(source);
            var next = project.Build("-v:n");
            Assert.True(next.Succeeded, next.ToString());
            Assert.DoesNotContain(Reused, next.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_git_baseline_written_over_several_lines_that_moves_is_read_again_not_reused()
    {
        // A property value in a project file keeps its line breaks; the host trims it and reads git:base. The base branch
        // then gets other cost snapshot bytes: what the gate judges against changed, so an edit must not reuse.
        var project = Accepted();
        project.AddToProject("<PropertyGroup><ConfigAsCodeCostBaseline>\n    git:base\n  </ConfigAsCodeCostBaseline></PropertyGroup>");
        project.WriteSource(".gitignore", "bin/\nobj/\n*.binlog\n");
        const string who = "-c user.email=e2e@example.com -c user.name=e2e";
        project.Git("init -q -b main");
        project.Git($"{who} add -A");
        project.Git($"{who} commit -q -m base");
        project.Git("branch base");
        Assert.True(project.Build().Succeeded);
        AppendComment(project);
        var reused = project.Build("-v:n");
        Assert.True(reused.Succeeded, reused.ToString());
        Assert.Contains(Reused, reused.Output, StringComparison.Ordinal);

        project.Git("checkout -q base");
        var cost = Path.Combine(project.Snapshots, ".configascode", "cost.json");
        File.WriteAllText(cost, File.ReadAllText(cost).Replace("\"monthlyExpected\": ", "\"monthlyExpected\":  ", StringComparison.Ordinal));
        project.Git($"{who} commit -q -am moved");
        var moved = project.Git("rev-parse --short=12 HEAD").Output.Trim();
        project.Git("checkout -q main");
        AppendComment(project);
        var edit = project.Build("-v:n");

        Assert.True(edit.Succeeded, edit.ToString());
        Assert.DoesNotContain(Reused, edit.Output, StringComparison.Ordinal);
        Assert.Contains($"git:base ({moved}:", edit.Output, StringComparison.Ordinal);

        // The same commit showing other bytes (a replace ref): the host keys the bytes it read, not only the commit.
        AppendComment(project);
        Assert.Contains(Reused, project.Build("-v:n").Output, StringComparison.Ordinal);
        var blob = project.Git("rev-parse base:deploy/.configascode/cost.json").Output.Trim();
        var otherFile = Path.Combine(project.Directory, "other-cost.json");
        File.WriteAllText(otherFile, project.Git("show base:deploy/.configascode/cost.json").Output.Replace("\"monthlyExpected\":  ", "\"monthlyExpected\":   ", StringComparison.Ordinal));
        var other = project.Git("hash-object -w other-cost.json").Output.Trim();
        File.Delete(otherFile);
        Assert.NotEqual(blob, other);
        project.Git($"replace {blob} {other}");
        AppendComment(project);
        var replaced = project.Build("-v:n");

        Assert.True(replaced.Succeeded, replaced.ToString());
        Assert.DoesNotContain(Reused, replaced.Output, StringComparison.Ordinal);
        Assert.Contains($"git:base ({moved}:", replaced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_left_behind_take_over_setting_warns_on_the_builds_after_the_output_folder_was_taken_over()
    {
        // A renamed project whose snapshot folder is already its own takes its old output folder over with
        // ConfigAsCodeTakeOwnershipFrom: said in the summary on that build; left in place, the setting is CAC9015 on
        // every later build. Neither the up-to-date check nor the verdict's key saw the marker change: the next builds
        // replayed the takeover build's verdict, without the warning a full run gives (-warnaserror passed).
        var project = new ConfigProject(feed, output, "Renamed");
        Assert.True(project.Build("-p:AssemblyName=OldName -p:ConfigAsCodeAcceptChanges=true").Succeeded);
        var marker = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", ".configascode-output");
        var oldMarker = File.ReadAllBytes(marker);
        var snapshots = project.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeTakeOwnershipFrom=OldName -p:ConfigAsCodeOutputDirectory=obj/gate-b/");
        Assert.True(snapshots.Succeeded, snapshots.ToString());

        const string Setting = "-p:ConfigAsCodeTakeOwnershipFrom=OldName";
        var taken = project.Build(Setting);
        Assert.True(taken.Succeeded, taken.ToString());
        Assert.Contains("took the output folder over", taken.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning CAC9015", taken.Output, StringComparison.Ordinal);

        // The next build, nothing else changed: a full run warns.
        var next = project.Build(Setting);
        Assert.DoesNotContain("up to date", next.Output, StringComparison.Ordinal);
        Assert.Contains("warning CAC9015", next.Output, StringComparison.Ordinal);

        // The same with the old marker put back (a restored obj/), after an edit that changes no value: not reused.
        File.WriteAllBytes(marker, oldMarker);
        Assert.Contains("took the output folder over", project.Build(Setting).Output, StringComparison.Ordinal);
        AppendComment(project);
        var edited = project.Build(Setting + " -v:n");
        Assert.DoesNotContain(Reused, edited.Output, StringComparison.Ordinal);
        Assert.Contains("warning CAC9015", edited.Output, StringComparison.Ordinal);
    }

    private static void AppendComment(ConfigProject project) =>
        File.AppendAllText(Path.Combine(project.Directory, "Deployments.cs"), $"\n// an edit that changes no value {Guid.NewGuid():N}\n");

    // The gate's lines in the build log, without the timing line (its figures differ on every run).
    private static string[] GateLines(string log) => log.Split('\n')
        .Select(l => l.Trim())
        .Where(l => (l.Contains("ConfigAsCode:", StringComparison.Ordinal) || l.Contains(": warning CAC", StringComparison.Ordinal) || l.Contains(": error CAC", StringComparison.Ordinal))
            && !l.Contains("time per step", StringComparison.Ordinal) && !l.Contains("the gate runs in full", StringComparison.Ordinal) && !l.Contains("exec ", StringComparison.Ordinal))
        .ToArray();

    // Every output of the gate and every snapshot, by content (the binlogs and the record itself aside).
    private static Dictionary<string, string> Outputs(ConfigProject project) => project.GateFiles()
        .Where(f => !f.Path.EndsWith("verdict.json", StringComparison.Ordinal))
        .ToDictionary(f => Path.GetRelativePath(project.Directory, f.Path), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(f.Bytes)), StringComparer.Ordinal);

    private ConfigProject Accepted()
    {
        var project = new ConfigProject(feed, output);
        var accept = project.Build("-p:ConfigAsCodeAcceptChanges=true");
        Assert.True(accept.Succeeded, accept.ToString());
        var clean = project.Build();
        Assert.True(clean.Succeeded, clean.ToString());
        return project;
    }
}
