using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The gate never harms what it does not own: folder checks before anything is touched, the ownership index,
/// links, accept guards, the accept journal, duplicates and values the cluster would refuse (issue #13).
/// </summary>
public sealed class GateSafetyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-safety-" + Guid.NewGuid().ToString("N"));
    private readonly string _project;

    public GateSafetyTests()
    {
        _project = Path.Combine(_root, "project");
        Directory.CreateDirectory(_project);
    }

    private string Snapshots => Path.Combine(_project, "deploy");

    private string Output => Path.Combine(_project, "obj", "configascode");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private GateOptions Options(bool accept = false, string? snapshots = null, string? output = null, string? allowedRoot = null, int? allowRemovals = null) => new()
    {
        ProjectDirectory = _project,
        SnapshotDirectory = snapshots ?? Snapshots,
        OutputDirectory = output ?? Output,
        AllowedRoot = allowedRoot,
        Accept = accept,
        AllowRemovals = allowRemovals,
    };

    private static EvaluationResult Evaluated(params InferenceDeployment[] deployments) => new(deployments, []);

    private static InferenceDeployment Staging() => Fixtures.Compliant(DeploymentEnvironment.Staging);

    private Dictionary<string, byte[]> Bytes(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(p => Path.GetRelativePath(folder, p), File.ReadAllBytes, StringComparer.Ordinal)
            : [];

    private void AssertSame(Dictionary<string, byte[]> before, string folder)
    {
        var after = Bytes(folder);
        Assert.Equal(before.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(before, pair => Assert.Equal(pair.Value, after[pair.Key]));
    }

    [Fact]
    public void Accept_pointed_at_the_parent_folder_deletes_nothing()
    {
        var sentinel = Path.Combine(_root, "sentinel.yaml");
        File.WriteAllText(sentinel, "kind: Mine\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, snapshots: _root, allowedRoot: _root));

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011");
        Assert.Contains("contains it", error.Message, StringComparison.Ordinal);
        Assert.Equal("kind: Mine\n", File.ReadAllText(sentinel));
        Assert.False(Directory.Exists(Output), "nothing is written when the folders are refused");
    }

    [Fact]
    public void A_snapshot_folder_outside_the_repository_is_refused()
    {
        var elsewhere = Path.Combine(_root, "etc");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "passwd.yaml"), "root: x\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, snapshots: elsewhere));

        Assert.Contains("outside the project folder", Assert.Single(outcome.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Equal("root: x\n", File.ReadAllText(Path.Combine(elsewhere, "passwd.yaml")));
    }

    [Fact]
    public void An_output_folder_that_overlaps_the_snapshots_is_refused_before_anything_is_written()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var before = Bytes(Snapshots);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } }), Options(output: _project));

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011");
        AssertSame(before, Snapshots);
        Assert.False(File.Exists(Path.Combine(_project, "report.md")), "no report lands in the project folder");
    }

    [Theory]
    [InlineData("output")]
    [InlineData("snapshot")]
    public void A_folder_inside_gits_own_data_is_refused_and_nothing_is_written_there(string which)
    {
        var git = Path.Combine(_project, ".git", "refs", "tags");
        Directory.CreateDirectory(git);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), which == "output" ? Options(output: git) : Options(accept: true, snapshots: git));

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011" && d.Message.Contains("'.git' folder", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(git));
    }

    [Fact]
    public void A_snapshot_folder_that_is_a_file_is_a_coded_error()
    {
        File.WriteAllText(Snapshots, "not a folder");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        Assert.Contains("is a file", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(Snapshots));
    }

    [Fact]
    public void First_accept_into_a_folder_with_other_files_is_refused_and_the_files_survive()
    {
        Directory.CreateDirectory(Path.Combine(Snapshots, "prod", "legacy"));
        var sentinel = Path.Combine(Snapshots, "prod", "legacy", "deployment-legacy.yaml");
        File.WriteAllText(sentinel, "kind: Deployment\n");
        var before = Bytes(Snapshots);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("prod/legacy/deployment-legacy.yaml", refusal.Message, StringComparison.Ordinal);
        Assert.False(outcome.Accepted);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void Files_the_tool_does_not_own_are_never_orphans_and_never_deleted()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var notes = Path.Combine(Snapshots, "prod", "NOTES.yaml");
        File.WriteAllText(notes, "hand: written\n");

        var accepted = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging() with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 3 } }), Options(accept: true));

        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));
        Assert.DoesNotContain(accepted.Drift!.Files, f => f.Path == "prod/NOTES.yaml");
        Assert.Equal("hand: written\n", File.ReadAllText(notes));
    }

    [Fact]
    public void A_symbolic_link_in_the_snapshot_folder_is_refused_and_its_target_never_read()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var target = Path.Combine(_root, "secret-elsewhere.yaml");
        File.WriteAllText(target, "password: do-not-copy-me\n");
        var snapshot = Path.Combine(Snapshots, "prod", "chat-8b", "service-chat-8b.yaml");
        File.Delete(snapshot);
        File.CreateSymbolicLink(snapshot, target);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        Assert.Contains("prod/chat-8b/service-chat-8b.yaml", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        Assert.Equal("password: do-not-copy-me\n", File.ReadAllText(target));
        foreach (var file in Directory.GetFiles(Output, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("do-not-copy-me", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_linked_folder_inside_the_snapshots_is_refused()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var outside = Path.Combine(_root, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.yaml"), "keep: 1\n");
        Directory.CreateSymbolicLink(Path.Combine(Snapshots, "staging"), outside);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal(["keep.yaml"], Directory.GetFiles(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void Links_deep_in_the_snapshot_folder_are_named_and_never_entered()
    {
        // The listing skips links by the kind each directory entry carries, then names what it skipped: a link to a
        // folder below an app folder and a dangling link are both refused, and nothing behind them is listed.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var outside = Path.Combine(_root, "outside-deep");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.yaml"), "keep: 1\n");
        Directory.CreateSymbolicLink(Path.Combine(Snapshots, "prod", "chat-8b", "linked"), outside);
        File.CreateSymbolicLink(Path.Combine(Snapshots, "prod", "dangling.yaml"), Path.Combine(_root, "nothing-here"));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message;
        Assert.Contains("(prod/chat-8b/linked, prod/dangling.yaml)", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("keep.yaml", refusal, StringComparison.Ordinal);
        Assert.Equal(["keep.yaml"], Directory.GetFiles(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void A_backslash_in_a_folder_name_does_not_pass_a_link_for_a_real_entry()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a backslash separates folders there
        }

        // 'a\b' is an ordinary name here: its entries must not be taken for those of 'a/b', or a link in it named like a
        // real file under 'a/b' would be neither refused nor kept out of the listing (a clone can carry both).
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var outside = Path.Combine(_root, "outside-backslash");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.yaml"), "keep: 1\n");
        Directory.CreateDirectory(Path.Combine(Snapshots, "prod", "a", "b", "c"));
        File.WriteAllText(Path.Combine(Snapshots, "prod", "a", "b", "x.yaml"), "x: 1\n");
        var named = Path.Combine(Snapshots, "prod", "a\\b");
        Directory.CreateDirectory(named);
        Directory.CreateSymbolicLink(Path.Combine(named, "c"), outside);
        File.CreateSymbolicLink(Path.Combine(named, "x.yaml"), Path.Combine(outside, "keep.yaml"));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message;
        Assert.Contains("prod/a\\b/c, prod/a\\b/x.yaml", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void No_deployments_while_snapshots_exist_is_one_error_and_accept_leaves_the_folder_byte_identical()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var before = Bytes(Snapshots);

        var outcome = GateRunner.Run(Evaluated(), Options(accept: true));

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("CAC9012", error.Code);
        Assert.Contains("still public", error.Message, StringComparison.Ordinal);
        Assert.Null(outcome.Drift);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void Another_projects_snapshot_folder_is_refused_and_its_files_survive_an_accept()
    {
        var teamA = Options(accept: true) with { Render = new RenderOptions { PlatformName = "team-a", ProjectName = "TeamA" } };
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), teamA).Accepted);
        Assert.Contains("\"project\": \"TeamA\"", File.ReadAllText(Path.Combine(Snapshots, ManifestRenderer.ProvenancePath)), StringComparison.Ordinal);
        var before = Bytes(Snapshots);
        var teamB = Options() with { Render = new RenderOptions { PlatformName = "team-b", ProjectName = "TeamB" } };
        var other = Fixtures.Compliant(DeploymentEnvironment.Staging) with { Name = "embedder" };

        var outcome = GateRunner.Run(Evaluated(other), teamB);

        // Before the index named its project, team A's files were team B's "orphans", and the accept the build
        // suggested removed them.
        var refusal = Assert.Single(outcome.Diagnostics);
        Assert.Equal("CAC9011", refusal.Code);
        Assert.Contains("the config project 'TeamA'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not of this project ('TeamB')", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("-p:ConfigAsCodeTakeOwnershipFrom=TeamA", refusal.Message, StringComparison.Ordinal);
        Assert.Null(outcome.Drift);

        var accept = GateRunner.Run(Evaluated(other), teamB with { Accept = true, AllowRemovals = 1000 });
        Assert.False(accept.Accepted);
        Assert.Contains(accept.Diagnostics, d => d.Code == "CAC9011");
        AssertSame(before, Snapshots);
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), teamA with { Accept = false }).Drift!.IsClean);
    }

    [Fact]
    public void An_index_written_before_projects_were_recorded_is_judged_by_its_platform()
    {
        // Library callers name no project, as accepts of earlier versions recorded none.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true) with { Render = new RenderOptions { PlatformName = "team-a" } });
        Assert.DoesNotContain("\"project\"", File.ReadAllText(Path.Combine(Snapshots, ManifestRenderer.ProvenancePath)), StringComparison.Ordinal);
        var before = Bytes(Snapshots);

        var foreign = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { Render = new RenderOptions { PlatformName = "team-b", ProjectName = "TeamB" } });
        var refusal = Assert.Single(foreign.Diagnostics);
        Assert.Contains("the platform 'team-a'", refusal.Message, StringComparison.Ordinal);

        // The platform that wrote it, first or not among the project's platforms, owns it.
        var second = new EvaluationResult([Fixtures.Compliant()], []) { PlatformNames = ["team-0", "team-a"] };
        var own = GateRunner.Run(second, Options() with { Render = new RenderOptions { PlatformName = "team-0", ProjectName = "TeamA" } });
        Assert.DoesNotContain(own.Diagnostics, d => d.Code is "CAC9011" or "CAC9015");
        Assert.NotNull(own.Drift);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void Taking_a_folder_over_needs_the_owners_exact_name_and_records_the_new_one()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true) with { Render = new RenderOptions { ProjectName = "OldName" } });
        var index = Path.Combine(Snapshots, ManifestRenderer.ProvenancePath);
        var renamed = Options(accept: true) with { Render = new RenderOptions { ProjectName = "NewName" } };

        var typo = GateRunner.Run(Evaluated(Fixtures.Compliant()), renamed with { TakeOwnershipFrom = "oldname" });
        Assert.False(typo.Accepted);
        Assert.Contains(typo.Diagnostics, d => d.Code == "CAC9011");
        Assert.Contains(typo.Diagnostics, d => d.Code == "CAC9015" && d.Message.Contains("names exactly", StringComparison.Ordinal));

        // Nothing drifts when only the project was renamed: the accept writes the index alone.
        var taken = GateRunner.Run(Evaluated(Fixtures.Compliant()), renamed with { TakeOwnershipFrom = "OldName" });
        Assert.True(taken.Accepted, string.Join("\n", taken.Diagnostics));
        Assert.True(taken.Drift!.IsClean);
        Assert.Contains("\"project\": \"NewName\"", File.ReadAllText(index), StringComparison.Ordinal);

        // Left in the project file, the setting is named until it is removed.
        var lingering = GateRunner.Run(Evaluated(Fixtures.Compliant()), renamed with { Accept = false, TakeOwnershipFrom = "OldName" });
        Assert.Contains(lingering.Diagnostics, d => d.Code == "CAC9015" && d.Message.Contains("nothing to take over", StringComparison.Ordinal));
        Assert.Empty(GateRunner.Run(Evaluated(Fixtures.Compliant()), renamed with { Accept = false }).Diagnostics);
    }

    [Theory]
    [InlineData("\"project\": 5,")]
    [InlineData("\"project\": \"\",")]
    [InlineData("\"platform\": null,")]
    public void An_owner_in_the_index_that_is_not_a_name_is_damage(string entry)
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var index = Path.Combine(Snapshots, ManifestRenderer.ProvenancePath);
        var text = File.ReadAllText(index);
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"platform\": \"[^\"]*\",", string.Empty);
        File.WriteAllText(index, text.Replace("\"files\":", entry + "\n  \"files\":", StringComparison.Ordinal));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { Render = new RenderOptions { ProjectName = "Mine" } });

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("CAC9011", error.Code);
        Assert.Contains("is not a name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_platform_class_that_is_not_public_is_named()
    {
        var ignored = PlatformEvaluator.FindIgnoredPlatformTypes(typeof(GateSafetyTests).Assembly);

        Assert.Contains("ConfigAsCode.Tests.InternalPlatform is not public", ignored);
        Assert.DoesNotContain(PlatformEvaluator.FindPlatformTypes(typeof(GateSafetyTests).Assembly), t => t.Name == nameof(InternalPlatform));
    }

    [Fact]
    public void Accept_is_refused_while_an_error_level_finding_stands()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var before = Bytes(Snapshots);
        var privileged = Fixtures.Compliant() with { Security = new SecuritySpec { Privileged = true } };

        var outcome = GateRunner.Run(Evaluated(privileged), Options(accept: true));

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("CAC2003 [prod/chat-8b]", refusal.Message, StringComparison.Ordinal);
        Assert.False(outcome.Accepted);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void Warnings_promoted_to_errors_stop_an_accept_too()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var single = Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } };

        var outcome = GateRunner.Run(Evaluated(single), Options(accept: true) with { Warnings = WarningPolicy.From(true, null, null, null) });

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC1006" && d.Severity == Synthesis.Rules.RuleSeverity.Error);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.False(outcome.Accepted);
    }

    [Fact]
    public void Removing_an_environment_needs_the_exact_count()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var before = Bytes(Snapshots);

        var refused = GateRunner.Run(Evaluated(Staging()), Options(accept: true));

        var refusal = Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("every manifest of prod", refusal.Message, StringComparison.Ordinal);
        AssertSame(before, Snapshots);
        var count = refused.Drift!.Removed;
        Assert.Contains($"-p:ConfigAsCodeAllowRemovals={count}", refusal.Message, StringComparison.Ordinal);

        Assert.False(GateRunner.Run(Evaluated(Staging()), Options(accept: true, allowRemovals: count + 1)).Accepted);
        var accepted = GateRunner.Run(Evaluated(Staging()), Options(accept: true, allowRemovals: count));

        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));
        Assert.False(Directory.Exists(Path.Combine(Snapshots, "prod")));
        Assert.True(GateRunner.Run(Evaluated(Staging()), Options()).Drift!.IsClean);
    }

    [Fact]
    public void An_accept_interrupted_after_its_journal_is_finished_by_the_next_build()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var fresh = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } }), Options());
        var changed = fresh.Drift!.Files.Where(f => f.Kind != FileChangeKind.Removed).Select(f => f.Path).ToArray();
        Assert.NotEmpty(changed);

        // A journal and its staged files, as an accept leaves them when it is killed right after its commit point.
        var staging = Path.Combine(Snapshots, ".configascode", "staging");
        Directory.CreateDirectory(staging);
        var freshFolder = Path.Combine(Output, "deploy");
        for (var i = 0; i < changed.Length; i++)
        {
            File.Copy(Path.Combine(freshFolder, changed[i]), Path.Combine(staging, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"),
            "{\"writes\":[" + string.Join(",", changed.Select((p, i) => $"{{\"path\":\"{p}\",\"staged\":\"{i}\"}}")) + "],\"removals\":[]}");

        var next = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } }), Options());

        Assert.Contains(next.Summary, l => l.Contains("finished an accept that was interrupted", StringComparison.Ordinal));
        Assert.True(next.Drift!.IsClean, string.Join("\n", next.Summary));
        Assert.False(Directory.Exists(staging));
        Assert.False(File.Exists(Path.Combine(Snapshots, ".configascode", "accept-journal.json")));
    }

    [Fact]
    public void Staged_files_without_a_journal_are_discarded_and_change_nothing()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var before = Bytes(Snapshots);
        var staging = Path.Combine(Snapshots, ".configascode", "staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "0"), "half-written");
        File.WriteAllText(Path.Combine(Snapshots, "prod", "chat-8b", ".deployment-chat-8b.yaml.0123456789abcdef0123456789abcdef.tmp"), "left by 0.1");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.True(outcome.Drift!.IsClean);
        Assert.False(Directory.Exists(staging));
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_file_named_like_an_old_temporary_file_is_removed_only_beside_a_file_the_tool_owns()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var leftover = Path.Combine(Snapshots, "prod", "chat-8b", ".deployment-chat-8b.yaml.0123456789abcdef0123456789abcdef.tmp");
        var besideForeign = Path.Combine(Snapshots, "prod", ".notes.md.0123456789abcdef0123456789abcdef.tmp");
        var besideNothing = Path.Combine(Snapshots, "prod", ".deployment-gone.yaml.fedcba9876543210fedcba9876543210.tmp");
        File.WriteAllText(Path.Combine(Snapshots, "prod", "notes.md"), "the team's own notes");
        File.WriteAllText(leftover, "left by 0.1");
        File.WriteAllText(besideForeign, "someone else's");
        File.WriteAllText(besideNothing, "someone else's too");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.True(outcome.Drift!.IsClean, string.Join("\n", outcome.Summary));
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(besideForeign));
        Assert.True(File.Exists(besideNothing));
        Assert.Contains(outcome.Summary, l => l.Contains("removed 1 temporary file(s)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("prod/.a.yaml.0123456789abcdef0123456789abcdef.tmp", "prod/a.yaml")]
    [InlineData(".provenance.json.0123456789abcdef0123456789abcdef.tmp", "provenance.json")]
    [InlineData("prod/.a.yaml.0123456789ABCDEF0123456789abcdef.tmp", null)]
    [InlineData("prod/a.yaml.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData("prod/.a.yaml-0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData("prod/..0123456789abcdef0123456789abcdef.tmp", null)]
    public void An_old_temporary_file_names_the_file_it_was_written_for(string relative, string? target)
    {
        Assert.Equal(target, SnapshotFolder.LegacyTemporaryTarget(relative));
    }

    [Fact]
    public void In_CI_an_unfinished_accept_is_an_error_and_is_not_replayed()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), "{\"writes\":[],\"removals\":[]}");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { CiReason = "CI=true" });

        Assert.Contains("did not finish", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Snapshots, ".configascode", "accept-journal.json")));
    }

    [Fact]
    public void A_duplicate_names_both_declarations_and_everything_else_is_still_reported()
    {
        var overlay = Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 8 } };
        var unsafeOne = Staging() with { Security = new SecuritySpec { Privileged = true } };

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant(), overlay, unsafeOne), Options());

        var duplicate = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9006");
        Assert.Matches(@"first at Fixtures\.cs\(\d+\), again at Fixtures\.cs\(\d+\)", duplicate.Message);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC2003");
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9002");
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
        Assert.True(File.Exists(Path.Combine(Output, "report.json")));
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    [InlineData("default")]
    public void System_namespaces_are_refused_and_cannot_be_suppressed(string ns)
    {
        var d = Fixtures.Compliant() with { Namespace = ns, Suppressions = [new RuleSuppression("CAC2008", "we really want to run here, trust us")] };

        var report = Fixtures.Validate(d);

        Assert.Contains(report.Violations, f => f.Id == "CAC2008" && f.PropertyPath == "Namespace");
        Assert.Contains(report.Violations, f => f.Id == "CAC9010");
    }

    [Theory]
    [InlineData("chat\n")]
    [InlineData("chat\r\n")]
    [InlineData("Chat")]
    [InlineData("chat-")]
    public void Names_that_are_not_exact_DNS_labels_are_refused_where_they_are_typed(string name)
    {
        Assert.False(KubernetesName.IsLabel(name));
        Assert.Throws<ArgumentException>(() => Fixtures.Compliant() with { Name = name });
    }

    [Theory]
    [InlineData("K=V")]
    [InlineData("HAS SPACE")]
    [InlineData("1STARTS_WITH_DIGIT")]
    public void Environment_variable_names_Kubernetes_rejects_are_not_rendered(string name)
    {
        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Env = [EnvVar.Literal(name, "1")] }), Options());

        var refused = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9008");
        Assert.Contains("Env[", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Drift!.Files, f => f.Path.Contains("chat-8b/deployment", StringComparison.Ordinal));
    }

    /// <summary>Deployments whose manifests the API server (or KEDA) refuses: each was written, or threw, before.</summary>
    private static InferenceDeployment RefusedByTheApiServer(string which)
    {
        var d = Fixtures.Compliant();
        var triton = RuleFiringTests.Triton();
        return which switch
        {
            "service-account" => d with { Security = d.Security with { ServiceAccountName = "Inference_SA" } },
            "service-account-empty" => d with { Security = d.Security with { ServiceAccountName = string.Empty } },
            "leading-digit" => d with { Name = "7b-chat" },
            "long-canary" => RolloutFixtures.Canary() with { Name = new string('a', 57) },
            "http-port-0" => d with { Engine = ((VllmEngine)d.Engine) with { HttpPort = 0 } },
            "http-port-65536" => d with { Engine = ((VllmEngine)d.Engine) with { HttpPort = 65536 } },
            "probe-port" => d with { Probes = d.Probes with { Readiness = d.Probes.Readiness! with { Port = 70000 } } },
            "triton-grpc-port" => triton with { Engine = ((TritonEngine)triton.Engine) with { GrpcPort = -1 } },
            "triton-collision" => triton with { Engine = ((TritonEngine)triton.Engine) with { MetricsPort = 8000 } },
            "hpa-target-huge" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.QueueDepth(1e30) } },
            "hpa-target-nan" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.QueueDepth(double.NaN) } },
            "hpa-target-rounds-to-zero" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.Concurrency(0.0004) } },
            "cpu-target-rounds-to-zero" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.Cpu(0.4) } },
            "cpu-target-huge" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.Cpu(1e10) } },
            "keda-target-tiny" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.QueueDepth(0.0004), Keda = new KedaScaling() } },
            "keda-target-huge" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.QueueDepth(1e30), Keda = new KedaScaling() } },
            "pdb-negative" => d with { DisruptionBudget = new DisruptionBudget { MaxUnavailable = null, MinAvailable = -1 } },
            "pdb-overflow" => MultiNodeFixtures.Llama405B() with { DisruptionBudget = new DisruptionBudget { MaxUnavailable = int.MaxValue } },
            "multi-node-rendezvous-port" => MultiNodeFixtures.Llama405B() is var m ? m with { Engine = ((VllmEngine)m.Engine) with { HttpPort = 29501 } } : m,
            "keda-kv-tiny" => d with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Keda = new KedaScaling { KvCacheUsageTarget = 0.0004 } } },
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };
    }

    [Theory]
    [InlineData("service-account", "Security.ServiceAccountName")]
    [InlineData("service-account-empty", "Security.ServiceAccountName")]
    [InlineData("leading-digit", "Name")]
    [InlineData("long-canary", "Name")]
    [InlineData("http-port-0", "Engine.HttpPort")]
    [InlineData("http-port-65536", "Engine.HttpPort")]
    [InlineData("probe-port", "Probes.Readiness.Port")]
    [InlineData("triton-grpc-port", "Engine.GrpcPort")]
    [InlineData("triton-collision", "Engine.MetricsPort")]
    [InlineData("hpa-target-huge", "Scaling.Signal.TargetPerReplica")]
    [InlineData("hpa-target-nan", "Scaling.Signal.TargetPerReplica")]
    [InlineData("hpa-target-rounds-to-zero", "Scaling.Signal.TargetPerReplica")]
    [InlineData("cpu-target-rounds-to-zero", "Scaling.Signal.TargetPerReplica")]
    [InlineData("cpu-target-huge", "Scaling.Signal.TargetPerReplica")]
    [InlineData("keda-target-tiny", "Scaling.Signal.TargetPerReplica")]
    [InlineData("keda-target-huge", "Scaling.Signal.TargetPerReplica")]
    [InlineData("keda-kv-tiny", "Scaling.Keda.KvCacheUsageTarget")]
    [InlineData("pdb-negative", "DisruptionBudget.MinAvailable")]
    [InlineData("pdb-overflow", "DisruptionBudget.MaxUnavailable")]
    [InlineData("multi-node-rendezvous-port", "Engine.HttpPort")]
    public void Values_the_API_server_or_KEDA_refuses_are_a_coded_error_and_no_manifest(string which, string property)
    {
        var d = RefusedByTheApiServer(which);

        var rendered = ManifestRenderer.Render([d]);
        var finding = Assert.Single(rendered.Findings);
        Assert.Equal(("CAC9008", property, d.Name, "prod"), (finding.Id, finding.PropertyPath, finding.Deployment, finding.Environment));
        Assert.DoesNotContain(rendered.Files, f => f.Path.Contains("/" + d.Name + "/", StringComparison.Ordinal));

        var outcome = GateRunner.Run(Evaluated(d), Options());
        Assert.Contains(outcome.Diagnostics, g => g.Code == "CAC9008" && g.Message.Contains(property, StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Drift!.Files, f => f.Path.Contains("/" + d.Name + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deployment_the_renderer_refuses_has_its_snapshots_named_once_not_called_orphans_to_accept()
    {
        var other = Fixtures.Compliant() with { Name = "other-8b" };
        GateRunner.Run(Evaluated(Fixtures.Compliant(), other), Options(accept: true));
        var committed = Bytes(Snapshots).Keys.Count(k => k.StartsWith(Path.Combine("prod", Fixtures.Compliant().Name) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.True(committed > 1, "the deployment has several committed files");

        var refused = Fixtures.Compliant() with { Security = Fixtures.Compliant().Security with { ServiceAccountName = "Bad_SA" } };
        var outcome = GateRunner.Run(Evaluated(refused, other), Options());

        Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9008");
        var notCompared = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9003" && d.Message.StartsWith("prod/chat-8b:", StringComparison.Ordinal));
        Assert.Contains($"{committed} committed snapshot(s) not compared", notCompared.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Accept with", notCompared.Message, StringComparison.Ordinal);
        Assert.NotNull(notCompared.File);
    }

    [Fact]
    public void A_refused_deployment_is_not_told_as_removed_from_its_environment_nor_offered_to_accept()
    {
        var other = Fixtures.Compliant() with { Name = "other-8b" };
        GateRunner.Run(Evaluated(Fixtures.Compliant(), other), Options(accept: true));

        var refused = Fixtures.Compliant() with { Security = Fixtures.Compliant().Security with { ServiceAccountName = "Bad_SA" } };
        var outcome = GateRunner.Run(Evaluated(refused, other), Options());

        // Before: "prod/kustomization.yaml: resources: chat-8b → (absent). RISKY", 7 files "to remove" and "Accept with".
        Assert.True(outcome.Drift!.IsClean, string.Join("\n", outcome.Summary));
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9001");
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9003" && d.Message.StartsWith("prod/kustomization.yaml: not compared", StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Summary, l => l.Contains("Accept with", StringComparison.Ordinal) || l.Contains("to remove", StringComparison.Ordinal));
        Assert.Contains(outcome.Summary, l => l.StartsWith("ConfigAsCode: 2 deployments (1 not rendered: CAC9008),", StringComparison.Ordinal));
        Assert.Contains(outcome.Summary, l => l.Contains("in what was compared", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Output, GateRunner.FreshFolder, "prod", "kustomization.yaml")));
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9008" && d.Severity == ConfigAsCode.Synthesis.Rules.RuleSeverity.Error);

        // Asked to accept, it says it did nothing (before: the accept guard's refusal; the drift is clean now).
        var before = Bytes(Snapshots);
        var accept = GateRunner.Run(Evaluated(refused, other), Options(accept: true));
        var refusal = Assert.Single(accept.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("nothing was rendered for prod/chat-8b", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(accept.Summary, l => l.Contains("accept refused", StringComparison.Ordinal));
        Assert.False(accept.Accepted);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_refused_deployment_alone_in_its_namespace_does_not_read_as_deleting_the_namespace_and_other_drift_is_still_told()
    {
        var other = Fixtures.Compliant() with { Name = "other-8b", Namespace = "other" };
        GateRunner.Run(Evaluated(Fixtures.Compliant(), other), Options(accept: true));

        var refused = Fixtures.Compliant() with { Security = Fixtures.Compliant().Security with { ServiceAccountName = "Bad_SA" } };
        var changed = other with { Scaling = other.Scaling with { MaxReplicas = other.Scaling.MaxReplicas + 1 } };
        var outcome = GateRunner.Run(Evaluated(refused, changed), Options());

        var shared = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9003" && d.Message.Contains(": not compared", StringComparison.Ordinal) && !d.Message.StartsWith("prod/chat-8b:", StringComparison.Ordinal));
        Assert.StartsWith("prod/_namespaces/kustomization.yaml, prod/_namespaces/namespace-inference.yaml, prod/kustomization.yaml: not compared", shared.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Drift!.Files, f => f.Path.StartsWith("prod/_namespaces/", StringComparison.Ordinal) || f.Path == "prod/kustomization.yaml" || f.Path.StartsWith("prod/chat-8b/", StringComparison.Ordinal));
        Assert.Contains(outcome.Drift.Files, f => f.Path.StartsWith("prod/other-8b/", StringComparison.Ordinal) && f.Kind == FileChangeKind.Changed);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9001" && d.Message.StartsWith("prod/other-8b/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_longest_name_whose_canary_and_stable_Services_fit_still_renders()
    {
        var rendered = ManifestRenderer.Render([RolloutFixtures.Canary() with { Name = new string('a', 56) }]);

        Assert.DoesNotContain(rendered.Findings, f => f.Id == "CAC9008");
        Assert.Contains(rendered.Files, f => f.Path.EndsWith("/service-" + new string('a', 56) + "-canary.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_string_with_half_a_surrogate_pair_is_a_coded_error_not_a_silent_replacement()
    {
        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Cost = new CostAttribution { Team = "ml-platform", CostCenter = "cc-4200", Owner = "jdoe\ud83d" } }), Options());

        var refused = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9008");
        Assert.Contains("Cost.Owner", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
    }

    [Theory]
    [InlineData("{\"gpu\":[{\"gpu\":\"L4\",\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerGpuHour\":null}]}")]
    [InlineData("{\"gpu\":[{\"gpu\":\"L4\",\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerGpuHour\":79228162514264337593543950335}]}")]
    [InlineData("{\"gpu\":[{\"gpu\":\"L4\",\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerGpuHour\":-1}]}")]
    [InlineData("{\"gpu\":[{\"gpu\":\"L4\",\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerGpuHour\":0.0002}]}")] // per second: every figure was $0.00
    [InlineData("{\"gpu\":[{\"gpu\":null,\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerGpuHour\":1}]}")]
    [InlineData("{\"host\":[{\"provider\":\"aws\",\"region\":\"us-east-1\",\"usdPerVcpuHour\":-5,\"usdPerGibHour\":0.01}]}")]
    [InlineData("not json")]
    public void Bad_prices_in_a_price_file_are_a_coded_error(string json)
    {
        var file = Path.Combine(_project, "prices.json");
        File.WriteAllText(file, json);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { PriceFile = file });

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4004" && d.File == file);
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
    }

    [Theory]
    [InlineData(-91.7)]
    [InlineData(0)]
    [InlineData(5000)]
    [InlineData(1e-28)]
    [InlineData(0.009)]
    public void Bad_prices_declared_in_code_are_refused_not_applied(double price)
    {
        var overrides = new[] { new GpuPriceOverride("l4", PricingTarget.AwsUsEast1, (decimal)price) };

        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []) { PriceOverrides = overrides }, Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4004" && d.Message.Contains("Prices()", StringComparison.Ordinal));
        Assert.All(outcome.Cost!.Estimates, e => Assert.True(e.MonthlyExpected >= 1m, $"{e.Key}: {e.MonthlyExpected}"));
    }

    [Fact]
    public void The_largest_decimal_price_is_refused_rather_than_overflowing()
    {
        var overrides = new[] { new GpuPriceOverride("l4", PricingTarget.AwsUsEast1, decimal.MaxValue) };

        var outcome = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []) { PriceOverrides = overrides }, Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC4004");
        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9009");
    }

    [Fact]
    public void An_output_folder_that_is_another_projects_snapshot_folder_is_refused_and_nothing_is_deleted()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var other = Path.Combine(_project, "other");
        Directory.CreateDirectory(other);
        CopyFolder(Snapshots, Path.Combine(other, "deploy"));
        File.WriteAllText(Path.Combine(other, "deploy", "prod", "handwritten.yaml"), "kind: Mine\n");
        File.WriteAllText(Path.Combine(other, "report.md"), "mine\n");
        var before = Bytes(other);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(output: other));

        Assert.Contains("no .configascode-output marker", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        AssertSame(before, other);
    }

    [Fact]
    public void A_second_project_pointed_at_another_projects_output_folder_is_refused_and_removes_none_of_its_outputs()
    {
        // Team A's run leaves reports and a fresh deploy/ tree (drift: nothing accepted yet) in the shared folder.
        var shared = Path.Combine(_root, "shared-output");
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(output: shared, allowedRoot: _root) with { ConfigAssemblyName = "TeamA" });
        Assert.True(File.Exists(Path.Combine(shared, "report.json")));
        Assert.True(Directory.Exists(Path.Combine(shared, "deploy")));
        var before = Bytes(shared);
        var teamB = Path.Combine(_root, "team-b");
        Directory.CreateDirectory(teamB);
        var options = new GateOptions { ProjectDirectory = teamB, SnapshotDirectory = Path.Combine(teamB, "deploy"), OutputDirectory = shared, AllowedRoot = _root, ConfigAssemblyName = "TeamB" };

        var outcome = GateRunner.Run(Evaluated(Staging()), options);

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message;
        Assert.Contains($"'TeamA' in '{_project}'", refusal, StringComparison.Ordinal);
        AssertSame(before, shared);

        // Its own cleaning refuses the folder too, whoever calls it.
        Reports.RemoveStale(options);
        Assert.Null(VerdictReuse.Hold(options));
        AssertSame(before, shared);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("held")]
    [InlineData("deploy/prod")]
    public void An_output_folder_inside_another_output_folders_fresh_tree_or_held_outputs_is_refused(string inside)
    {
        // The fresh tree (deploy/) and the held outputs (held/) are emptied by the run of the folder they are in: a
        // second project's output folder there lost its reports, lock and verdict to the first project's next run.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        Assert.True(Directory.Exists(Path.Combine(Output, "deploy", "prod")));
        var nested = Path.Combine(Output, inside);
        var other = Path.Combine(_root, "other");
        Directory.CreateDirectory(other);
        var before = Bytes(Output);

        var outcome = GateRunner.Run(Evaluated(Staging()), new GateOptions { ProjectDirectory = other, SnapshotDirectory = Path.Combine(other, "deploy"), OutputDirectory = nested, AllowedRoot = _root });

        Assert.Contains($"'{Output}'", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        AssertSame(before, Output);
    }

    [Fact]
    public void An_output_folder_inside_another_projects_snapshot_folder_is_refused_and_writes_nothing_there()
    {
        // A GitOps folder is applied as it is: a second project's fresh deploy/ tree and reports in it were manifests
        // Argo CD or Flux applied (and files the first project's gate then called foreign).
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        Assert.True(File.Exists(Path.Combine(Snapshots, ".configascode", "provenance.json")));
        var before = Bytes(Snapshots);
        var other = Path.Combine(_root, "other");
        Directory.CreateDirectory(other);

        var outcome = GateRunner.Run(Evaluated(Staging()), new GateOptions { ProjectDirectory = other, SnapshotDirectory = Path.Combine(other, "deploy"), OutputDirectory = Path.Combine(Snapshots, "prod", "gate-b"), AllowedRoot = _root });

        Assert.Contains($"'{Snapshots}'", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_renamed_project_takes_its_output_folder_over_with_ConfigAsCodeTakeOwnershipFrom()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "OldName" });
        var before = Bytes(Output);

        // The same folder, another assembly name: refused, with the way out named, until the old name is given.
        var renamed = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "NewName" });
        Assert.Contains("-p:ConfigAsCodeTakeOwnershipFrom=OldName", Assert.Single(renamed.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        AssertSame(before, Output);

        var wrongName = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "NewName", TakeOwnershipFrom = "Other" });
        Assert.Contains(wrongName.Diagnostics, d => d.Code == "CAC9011");

        var taken = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "NewName", TakeOwnershipFrom = "OldName" });
        Assert.DoesNotContain(taken.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal(SnapshotFolder.OutputOwner(Options() with { ConfigAssemblyName = "NewName" }), File.ReadAllText(Path.Combine(Output, ManifestFileWriter.OutputMarker)));
        Assert.DoesNotContain(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "NewName" }).Diagnostics, d => d.Code == "CAC9011");

        // The setting did something (the snapshot folder had nothing to take over): said in the summary, not a CAC9015
        // warning that fails a -warnaserror build once on the way. Left in place afterwards, it warns.
        Assert.DoesNotContain(taken.Diagnostics, d => d.Code == "CAC9015");
        Assert.Contains(taken.Summary, l => l.Contains("took the output folder over", StringComparison.Ordinal));
        var leftBehind = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "NewName", TakeOwnershipFrom = "OldName" });
        Assert.Contains(leftBehind.Diagnostics, d => d.Code == "CAC9015");
    }

    [Theory]
    [InlineData("snapshots")]
    [InlineData("fresh tree")]
    public void An_output_folder_that_is_a_link_into_a_snapshot_folder_or_another_fresh_tree_is_refused(string into)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // The checks compared paths as spelled: obj/gate, a link to an empty folder in the snapshot folder (or to another
        // output folder's deploy/), passed them, and the fresh tree and reports went through it.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options());
        var target = into == "snapshots" ? Path.Combine(Snapshots, "prod", "reports") : Path.Combine(Output, "deploy");
        Directory.CreateDirectory(target);
        var snapshots = Bytes(Snapshots);
        var output = Bytes(Output);
        var other = Path.Combine(_root, "other");
        Directory.CreateDirectory(Path.Combine(other, "obj"));
        var link = Path.Combine(other, "obj", "gate");
        Directory.CreateSymbolicLink(link, target);

        var outcome = GateRunner.Run(Evaluated(Staging()), new GateOptions { ProjectDirectory = other, SnapshotDirectory = Path.Combine(other, "deploy"), OutputDirectory = link, AllowedRoot = _root });

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011");
        AssertSame(snapshots, Snapshots);
        AssertSame(output, Output);
    }

    [Fact]
    public void A_moved_clone_still_owns_its_output_folder()
    {
        // The marker records the project folder as a path from the output folder: moved together (a clone renamed, a CI
        // workspace restored elsewhere), they still belong together.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options() with { ConfigAssemblyName = "Platform" });
        var moved = _root + "-moved";
        Directory.Move(_root, moved);
        try
        {
            var project = Path.Combine(moved, "project");
            var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), new GateOptions { ProjectDirectory = project, SnapshotDirectory = Path.Combine(project, "deploy"), OutputDirectory = Path.Combine(project, "obj", "configascode"), ConfigAssemblyName = "Platform" });
            Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9011");
        }
        finally
        {
            Directory.Delete(moved, recursive: true);
        }
    }

    // A checkout reached through a link above it (~/src -> /mnt/data/src): one repository, one project, two spellings.
    private (string RealProject, string LinkedProject) LinkedCheckout()
    {
        var real = Path.Combine(_root, "data", "repo", "platform");
        Directory.CreateDirectory(real);
        Directory.CreateDirectory(Path.Combine(_root, "data", "repo", ".git"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "src"), Path.Combine(_root, "data"));
        return (real, Path.Combine(_root, "src", "repo", "platform"));
    }

    private static GateOptions Route(string project, string output, string? allowedRoot = null) => new()
    {
        ProjectDirectory = project,
        SnapshotDirectory = Path.Combine(project, "deploy"),
        OutputDirectory = output,
        AllowedRoot = allowedRoot,
        ConfigAssemblyName = "Platform",
    };

    [Theory]
    [InlineData("real", "linked")]
    [InlineData("linked", "real")]
    [InlineData("linked", "linked")]
    public void A_checkout_reached_through_a_link_owns_its_output_folder_whichever_route_each_path_takes(string projectRoute, string outputRoute)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // Built once from the IDE by the real path, then from a terminal through the link (or with obj/ spelled the
        // other way than the project folder): the same folder, so the same owner, and inside the same repository.
        var (real, linked) = LinkedCheckout();
        var first = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(real, Path.Combine(real, "obj", "configascode")));
        Assert.DoesNotContain(first.Diagnostics, d => d.Code == "CAC9011");

        var project = projectRoute == "real" ? real : linked;
        var output = Path.Combine(outputRoute == "real" ? real : linked, "obj", "configascode");
        var again = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(project, output));

        Assert.DoesNotContain(again.Diagnostics, d => d.Code == "CAC9011");
    }

    [Fact]
    public void An_output_folder_spelled_through_another_route_than_the_project_folder_is_still_its_own()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // ConfigAsCodeOutputDirectory (or BaseIntermediateOutputPath) through a link, the project folder by its real
        // path, both inside the allowed root: the marker named the project folder by the path as spelled, so the next
        // build by the other spelling read it as another project's.
        var cache = Path.Combine(_root, "disk", "cache");
        Directory.CreateDirectory(cache);
        var link = Path.Combine(_root, "cache-link");
        Directory.CreateSymbolicLink(link, cache);
        var first = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Path.Combine(link, "platform"), _root));
        Assert.DoesNotContain(first.Diagnostics, d => d.Code == "CAC9011");

        var again = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Path.Combine(cache, "platform"), _root));
        Assert.DoesNotContain(again.Diagnostics, d => d.Code == "CAC9011");
        var back = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Path.Combine(link, "platform"), _root));
        Assert.DoesNotContain(back.Diagnostics, d => d.Code == "CAC9011");

        // The marker names no absolute path: the project folder, relative to the output folder, links resolved.
        var marker = File.ReadAllText(Path.Combine(cache, "platform", ManifestFileWriter.OutputMarker));
        Assert.StartsWith("project-folder=../../../project\n", marker, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, marker, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../project")]    // written through the link, as this build spells it
    [InlineData("../../../project")] // written by the real path
    public void A_marker_written_as_spelled_by_the_version_before_is_still_this_projects_and_is_rewritten_links_resolved(string spelled)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // What the version before wrote for the output folder spelled through the link: the project folder as a path
        // from that spelling. It names this project by either route; the claim rewrites it with the links resolved.
        var cache = Path.Combine(_root, "disk", "cache");
        Directory.CreateDirectory(Path.Combine(cache, "platform"));
        var link = Path.Combine(_root, "cache-link");
        Directory.CreateSymbolicLink(link, cache);
        var marker = Path.Combine(cache, "platform", ManifestFileWriter.OutputMarker);
        File.WriteAllText(marker, $"project-folder={spelled}\nassembly=Platform\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Path.Combine(link, "platform"), _root));

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal(SnapshotFolder.OutputOwner(Route(_project, Path.Combine(cache, "platform"), _root)), File.ReadAllText(marker));
        Assert.DoesNotContain(GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Path.Combine(cache, "platform"), _root)).Diagnostics, d => d.Code == "CAC9011");
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("other")]
    public void A_copy_or_another_project_whose_obj_is_a_link_to_this_projects_obj_is_refused(string which)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Its output folder, spelled from its own folder, is '../..' from its project as ours is from ours: compared
        // as spelled, a copy (the same assembly) or any project with obj/ linked here passed as the owner, and each run
        // removed the other's reports, fresh tree and verdict.
        var assembly = which == "copy" ? "Platform" : "Other";
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Output, _root));
        var before = Bytes(Output);
        var second = Path.Combine(_root, which);
        Directory.CreateDirectory(second);
        Directory.CreateSymbolicLink(Path.Combine(second, "obj"), Path.Combine(_project, "obj"));

        var outcome = GateRunner.Run(Evaluated(Staging()), Route(second, Path.Combine(second, "obj", "configascode"), _root) with { ConfigAssemblyName = assembly });

        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message;
        Assert.Contains($"'Platform' in '{_project}'", refusal, StringComparison.Ordinal);
        Assert.Contains($"'{assembly}' in '{second}'", refusal, StringComparison.Ordinal);
        AssertSame(before, Output);
        Assert.DoesNotContain(GateRunner.Run(Evaluated(Fixtures.Compliant()), Route(_project, Output, _root)).Diagnostics, d => d.Code == "CAC9011");
    }

    [Fact]
    public void An_output_folder_marked_by_an_earlier_version_is_claimed_by_the_first_project_that_runs_there()
    {
        // Earlier versions wrote an empty marker: the first project that runs claims it, and the second is refused.
        var shared = Path.Combine(_root, "shared-output");
        Directory.CreateDirectory(shared);
        File.WriteAllBytes(Path.Combine(shared, ManifestFileWriter.OutputMarker), []);
        File.WriteAllText(Path.Combine(shared, "report.md"), "an earlier run's\n");

        var own = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(output: shared, allowedRoot: _root));
        Assert.DoesNotContain(own.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal(SnapshotFolder.OutputOwner(Options(output: shared, allowedRoot: _root)), File.ReadAllText(Path.Combine(shared, ManifestFileWriter.OutputMarker)));

        var other = Path.Combine(_root, "other");
        Directory.CreateDirectory(other);
        var refused = GateRunner.Run(Evaluated(Staging()), new GateOptions { ProjectDirectory = other, SnapshotDirectory = Path.Combine(other, "deploy"), OutputDirectory = shared, AllowedRoot = _root });
        Assert.Contains("Two projects cannot share an output folder", Assert.Single(refused.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);

        // The owner itself keeps running there.
        Assert.DoesNotContain(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(output: shared, allowedRoot: _root)).Diagnostics, d => d.Code == "CAC9011");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_pipe_where_a_snapshot_is_owned_is_named_never_opened()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // Opening a pipe for reading waits for a writer: the build would hang until its timeout. A guard, not a timing:
        // a pass takes milliseconds, a hang never ends.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var owned = Directory.GetFiles(Path.Combine(Snapshots, "prod"), "service-*.yaml", SearchOption.AllDirectories).First();
        File.Delete(owned);
        Assert.Equal(0, MakePipe(owned, 420));

        var run = System.Threading.Tasks.Task.Run(() => GateRunner.Run(Evaluated(Fixtures.Compliant()), Options()));
        Assert.Same(run, await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        var outcome = await run;

        Assert.True(outcome.Failed);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011" && d.Message.Contains(Path.GetFileName(owned), StringComparison.Ordinal) && d.Message.Contains("pipe", StringComparison.Ordinal));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_pipe_at_the_output_folders_marker_is_never_opened_to_read_its_owner()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // The marker is read for the project that owns the folder: a pipe there would wait for a writer forever.
        Directory.CreateDirectory(Output);
        Assert.Equal(0, MakePipe(Path.Combine(Output, ManifestFileWriter.OutputMarker), 420));

        var run = System.Threading.Tasks.Task.Run(() => GateRunner.Run(Evaluated(Fixtures.Compliant()), Options()));
        Assert.Same(run, await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        var outcome = await run;

        Assert.DoesNotContain(outcome.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal(SnapshotFolder.OutputOwner(Options()), File.ReadAllText(Path.Combine(Output, ManifestFileWriter.OutputMarker)));
    }

    [Theory]
    [InlineData("price file")]
    [InlineData("cost baseline")]
    [InlineData("base report")]
    [InlineData("price file through a link")]
    public async System.Threading.Tasks.Task A_pipe_named_as_a_price_file_baseline_or_base_report_is_an_error_never_opened(string what)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // Before, the host opened it and waited for a writer until the task's time limit (CAC9014).
        var pipe = Path.Combine(_root, "input.json");
        Assert.Equal(0, MakePipe(pipe, 420));
        var named = pipe;
        if (what.EndsWith("through a link", StringComparison.Ordinal))
        {
            named = Path.Combine(_root, "prices-link.json");
            File.CreateSymbolicLink(named, pipe);
        }

        var options = what switch
        {
            "cost baseline" => Options() with { CostBaseline = named },
            "base report" => Options() with { BaseReport = named },
            _ => Options() with { PriceFile = named },
        };
        var run = System.Threading.Tasks.Task.Run(() => GateRunner.Run(Evaluated(Fixtures.Compliant()), options));
        Assert.Same(run, await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        var outcome = await run;

        // The base report only serves the PR comment's delta, which says it could not be read.
        var comment = Path.Combine(Output, "pr-comment.md");
        var said = string.Join("\n", outcome.Diagnostics.Select(d => d.Message).Concat(outcome.Summary)) + (File.Exists(comment) ? File.ReadAllText(comment) : string.Empty);
        Assert.Contains(what == "base report" ? "could not be read (IOException)" : "is a pipe, a socket or a device", said, StringComparison.Ordinal);
        if (what != "base report")
        {
            Assert.True(outcome.Failed);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakePipe(string path, int mode);

    // An accepted fleet, a hand-written prod/team-b/configmap.yaml beside it, and a staged ownership index (no journal
    // yet) that lists that file as the tool's.
    private (string Handwritten, string Staging) HandwrittenFileAndStagedIndexListingIt()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var handwritten = Path.Combine(Snapshots, "prod", "team-b", "configmap.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(handwritten)!);
        File.WriteAllText(handwritten, "kind: ConfigMap\n");
        var staging = Path.Combine(Snapshots, ".configascode", "staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "index"), File.ReadAllText(Path.Combine(Snapshots, ".configascode", "provenance.json")).Replace("\"files\": [", "\"files\": [\n    { \"path\": \"prod/team-b/configmap.yaml\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\" },", StringComparison.Ordinal));
        return (handwritten, staging);
    }

    [Theory]
    [InlineData("{\"writes\":[],\"removals\":[]}")]
    [InlineData("{\"writes\":[{\"path\":\"prod/team-b/configmap.yaml\",\"staged\":\"x\"}],\"removals\":[]}")]
    [InlineData("not a journal")]
    [InlineData("{\"writes\":[{\"path\":\"prod/team-b/configmap.yaml\",\"staged\":\"7\"}],\"removals\":[]}")]
    public void A_staged_index_never_makes_a_file_of_someone_else_the_tools(string journal)
    {
        // A journal that writes nothing (or whose write is dropped as malformed, or that cannot be read at all) with a
        // staged index listing a hand-written file: installing that index made the file the tool's, and the next accept
        // removed it as an orphan (fresh-eyes review).
        var (handwritten, _) = HandwrittenFileAndStagedIndexListingIt();
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), journal);

        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        Assert.DoesNotContain("prod/team-b/configmap.yaml", File.ReadAllText(Path.Combine(Snapshots, ".configascode", "provenance.json")), StringComparison.Ordinal);
        Assert.Equal("kind: ConfigMap\n", File.ReadAllText(handwritten));
    }

    [Theory]
    [InlineData("{\"layout\":\"zzz\",\"files\":[]}")]
    [InlineData("{\"files\":[{\"path\":\"../outside.yaml\",\"sha256\":\"00\"}]}")]
    public void A_journal_whose_staged_index_is_damaged_changes_nothing(string index)
    {
        // The staged index becomes the ownership index: one no build could read again was installed all the same, and
        // every later build failed on it, with the journal's writes left behind (fresh-eyes hunt).
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var committed = Directory.GetFiles(Snapshots, "*", SearchOption.AllDirectories).Where(p => !p.Contains("accept-journal", StringComparison.Ordinal)).ToDictionary(p => p, File.ReadAllBytes);
        var staging = Path.Combine(Snapshots, ".configascode", "staging");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "0"), "kind: Evil\n");
        File.WriteAllText(Path.Combine(staging, "index"), index);

        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), "{\"writes\":[{\"path\":\"prod/evil.yaml\",\"staged\":\"0\"}],\"removals\":[]}");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011" && d.Message.Contains("staged ownership index", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Snapshots, "prod", "evil.yaml")));
        Assert.All(committed, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
    }

    [Fact]
    public void An_index_of_version_0_1_without_the_cost_snapshot_still_lets_an_accept_change_it()
    {
        // Open counts the cost snapshot as owned for such an index; the journal's check did not, and refused the
        // tool's own file as someone else's (fresh-eyes hunt).
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var indexPath = Path.Combine(Snapshots, ".configascode", "provenance.json");
        var index = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(indexPath))!;
        var files = index["files"]!.AsArray();
        files.Remove(files.First(f => (string?)f!["path"] == ".configascode/cost.json"));
        File.WriteAllText(indexPath, index.ToJsonString());

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } }), Options(accept: true));

        Assert.True(outcome.Accepted, string.Join("\n", outcome.Diagnostics));
    }

    [Fact]
    public void A_journal_never_overwrites_a_file_the_tool_does_not_own()
    {
        var (handwritten, staging) = HandwrittenFileAndStagedIndexListingIt();
        File.WriteAllText(Path.Combine(staging, "0"), "kind: Evil\n");
        Assert.Contains("prod/team-b/configmap.yaml", File.ReadAllText(Path.Combine(staging, "index")), StringComparison.Ordinal);
        var index = File.ReadAllBytes(Path.Combine(Snapshots, ".configascode", "provenance.json"));
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), "{\"writes\":[{\"path\":\"prod/team-b/configmap.yaml\",\"staged\":\"0\"}],\"removals\":[\"prod/team-b/configmap.yaml\"]}");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        // Neither written nor made the tool's: a staged index that lists it is not installed (a skipped write used to
        // leave it listed, for a later accept to overwrite or remove). The journal is named and kept.
        Assert.Equal("kind: ConfigMap\n", File.ReadAllText(handwritten));
        Assert.Equal(index, File.ReadAllBytes(Path.Combine(Snapshots, ".configascode", "provenance.json")));
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9011" && d.Message.Contains("prod/team-b/configmap.yaml: a file ConfigAsCode did not write is at that path", StringComparison.Ordinal));
    }

    [Fact]
    public void Manifests_the_tool_does_not_own_are_named_in_the_summary()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        File.WriteAllText(Path.Combine(Snapshots, "prod", "argo-app.yaml"), "kind: Application\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.True(outcome.Drift!.IsClean);
        Assert.Contains(outcome.Summary, l => l.Contains("not ConfigAsCode's and are never compared", StringComparison.Ordinal) && l.Contains("prod/argo-app.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void An_output_folder_under_a_linked_obj_is_allowed_but_a_linked_snapshot_folder_is_not()
    {
        var cache = Path.Combine(_root, "cache");
        Directory.CreateDirectory(cache);
        Directory.CreateSymbolicLink(Path.Combine(_project, "obj"), cache);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));

        Assert.True(outcome.Accepted, string.Join("\n", outcome.Diagnostics));
        var elsewhere = Path.Combine(_root, "gitops");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(_project, "linked"), elsewhere);
        var linked = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, snapshots: Path.Combine(_project, "linked", "deploy")));
        Assert.Contains("symbolic link", Assert.Single(linked.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_snapshot_folder_is_the_whole_verdict_though_the_folder_is_listed_beside_the_scan()
    {
        // The folder is opened on another thread while the deployments are scanned and validated: its refusal must
        // still be the only finding, with nothing else reported or registered, and no credential in the reports.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        PlantLink();
        var (token, leaky) = Leaky();
        var before = Bytes(Snapshots);
        var options = Options(accept: true);

        // Declared twice (CAC9006) and holding a token (CAC2001): both found, neither reported.
        var outcome = GateRunner.Run(Evaluated(leaky, leaky), options);

        Assert.Equal("CAC9011", Assert.Single(outcome.Diagnostics).Code);
        Assert.Empty(outcome.Secrets);
        Assert.Null(outcome.Validation);
        Assert.False(options.Redactor.HasValues);
        AssertSame(before, Snapshots);
        Assert.All(Directory.GetFiles(Output, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(token, File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public void A_refused_snapshot_folder_outranks_a_failure_of_the_validation_beside_it()
    {
        // Before the overlap the refusal ended the run before the validation started: a validation that throws beside
        // the listing must not turn the refusal into a tool failure.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        PlantLink();
        var options = Options() with { Rules = Failing() };

        var outcome = GateRunner.Run(Evaluated(Declared(Fixtures.Compliant())), options);

        Assert.Equal("CAC9011", Assert.Single(outcome.Diagnostics).Code);
    }

    [Fact]
    public void A_failure_of_the_validation_is_thrown_as_itself_with_the_scans_credentials_known_to_the_redactor()
    {
        // The host reports an internal failure through the redactor: every credential the scan found must be known to
        // it by then, as when the scan's findings were registered before the validation started.
        // A password no credential format matches: only its registration redacts it.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        const string password = "correct-horse-battery-staple";
        var leaky = Fixtures.Compliant() with { Env = [EnvVar.Literal("DB_PASSWORD", password)] };
        var options = Options() with { Rules = Failing() };
        Assert.Contains(password, options.Redactor.Redact("failed with " + password), StringComparison.Ordinal);

        var failure = Assert.Throws<InvalidOperationException>(() => GateRunner.Run(Evaluated(Declared(leaky)), options));

        Assert.Equal("the options of Platform.cs could not be read", failure.Message);
        Assert.DoesNotContain(password, options.Redactor.Redact("failed with " + password), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_validation_leaves_no_report_of_the_run_before()
    {
        // The last run's reports are removed before the failure is thrown, as when the validation followed the
        // folder's opening: a CI job must not publish a passing report beside the failure.
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());
        Assert.True(File.Exists(Path.Combine(Output, "report.json")));

        Assert.Throws<InvalidOperationException>(() => GateRunner.Run(Evaluated(Declared(Fixtures.Compliant())), Options() with { Rules = Failing() }));

        Assert.False(File.Exists(Path.Combine(Output, "report.json")));
    }

    private void PlantLink()
    {
        var outside = Path.Combine(_root, "outside.yaml");
        File.WriteAllText(outside, "kind: Mine\n");
        File.CreateSymbolicLink(Path.Combine(Snapshots, "prod", "linked.yaml"), outside);
    }

    private static (string Token, InferenceDeployment Deployment) Leaky()
    {
        var token = "ghp_" + new string('Q', 36);
        return (token, Fixtures.Compliant() with { Env = [EnvVar.Literal("GITHUB_TOKEN", token)] });
    }

    private static InferenceDeployment Declared(InferenceDeployment deployment) => deployment with { DeclaredAt = new SourceLocation("Platform.cs", 12) };

    // Rule options whose per-file lookup (the .editorconfig sections of a deployment's file) fails: the validation
    // throws, after the credential scan has run.
    private static ConfigAsCode.Synthesis.Rules.RuleOptions Failing() =>
        ConfigAsCode.Synthesis.Rules.RuleOptions.Default with { ForSourceFile = file => throw new InvalidOperationException($"the options of {file} could not be read") };

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static InferenceDeployment Scaled() => Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } };

    // An accept interrupted right after its commit point: the journal and the staged files (from the fresh output).
    private void Interrupt(IReadOnlyList<string> paths, string? freshFolder = null)
    {
        var staging = Path.Combine(Snapshots, ".configascode", "staging");
        Directory.CreateDirectory(staging);
        for (var i = 0; i < paths.Count; i++)
        {
            var staged = Path.Combine(staging, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (freshFolder is null)
            {
                File.WriteAllText(staged, "kind: Staged\n");
            }
            else
            {
                File.Copy(Path.Combine(freshFolder, paths[i]), staged);
            }
        }

        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"),
            "{\"writes\":[" + string.Join(",", paths.Select((p, i) => $"{{\"path\":\"{p}\",\"staged\":\"{i}\"}}")) + "],\"removals\":[]}");
    }

    [Fact]
    public void A_folder_where_an_accept_must_write_a_file_refuses_the_accept_before_anything_is_written()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var service = Path.Combine(Snapshots, "prod", "chat-8b", "service-chat-8b.yaml");
        File.Delete(service);
        Directory.CreateDirectory(service);
        File.WriteAllText(Path.Combine(service, "notes.txt"), "hi\n");
        var before = Bytes(Snapshots);

        // The plain build names what is in the way, as it names a foreign file there.
        var plain = GateRunner.Run(Evaluated(Scaled()), Options());

        Assert.Contains(plain.Diagnostics, d => d.Code == "CAC9002" && d.Message.StartsWith("prod/chat-8b/service-chat-8b.yaml: new Service, but a folder is at that path", StringComparison.Ordinal));
        Assert.Contains(plain.Summary, l => l.Contains("prod/chat-8b/service-chat-8b.yaml  [in the way: a folder is at that path]", StringComparison.Ordinal));

        // Several files change: none is moved, no journal or staged file is left, and the next build is not wedged.
        var refused = GateRunner.Run(Evaluated(Scaled()), Options(accept: true));

        Assert.True(refused.Drift!.Changed > 0);
        Assert.Contains("prod/chat-8b/service-chat-8b.yaml: a folder is at that path", Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013").Message, StringComparison.Ordinal);
        Assert.False(refused.Accepted);
        AssertSame(before, Snapshots);
        Assert.DoesNotContain(GateRunner.Run(Evaluated(Scaled()), Options()).Diagnostics, d => d.Code == "CAC9011");

        Directory.Delete(service, recursive: true);
        var accepted = GateRunner.Run(Evaluated(Scaled()), Options(accept: true));

        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));
        Assert.True(GateRunner.Run(Evaluated(Scaled()), Options()).Drift!.IsClean);
    }

    [Fact]
    public void A_file_where_an_accept_must_create_a_folder_refuses_the_accept()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        File.WriteAllText(Path.Combine(Snapshots, "staging"), "hand: written\n");
        var before = Bytes(Snapshots);

        var refused = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));

        var refusal = Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("a file is at staging, where a folder must be", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Diagnostics, d => d.Code == "CAC9002" && d.Message.Contains("but a file is at staging, where a folder must be", StringComparison.Ordinal));
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void In_the_per_app_layout_a_folder_where_manifests_yaml_goes_refuses_the_accept()
    {
        var perApp = new RenderOptions { Layout = ManifestLayout.PerApp };
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true) with { Render = perApp });
        var bundle = Path.Combine(Snapshots, "prod", "chat-8b", "manifests.yaml");
        Assert.True(File.Exists(bundle));
        File.Delete(bundle);
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "notes.txt"), "hi\n");
        var before = Bytes(Snapshots);

        var refused = GateRunner.Run(Evaluated(Scaled()), Options(accept: true) with { Render = perApp });

        Assert.Contains("prod/chat-8b/manifests.yaml: a folder is at that path", Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013").Message, StringComparison.Ordinal);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_folder_where_the_accept_journal_goes_refuses_the_accept()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        Directory.CreateDirectory(Path.Combine(Snapshots, ".configascode", "accept-journal.json", "mine"));
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json", "mine", "notes.txt"), "hi\n");
        var before = Bytes(Snapshots);

        var refused = GateRunner.Run(Evaluated(Scaled()), Options(accept: true));

        Assert.Contains(".configascode/accept-journal.json: a folder is at that path", Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013").Message, StringComparison.Ordinal);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_journal_blocked_by_a_folder_is_named_on_every_build_kept_and_finished_once_the_folder_is_moved()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var changed = GateRunner.Run(Evaluated(Scaled()), Options()).Drift!.Files.Where(f => f.Kind != FileChangeKind.Removed).Select(f => f.Path).ToArray();
        Assert.True(changed.Length > 1);
        Interrupt(changed, Path.Combine(Output, "deploy"));
        var blocked = Path.Combine(Snapshots, changed[^1]);
        File.Delete(blocked);
        Directory.CreateDirectory(blocked);
        File.WriteAllText(Path.Combine(blocked, "notes.txt"), "hi\n");
        var before = Bytes(Snapshots);

        foreach (var build in new[] { Options(), Options(accept: true) })
        {
            var outcome = GateRunner.Run(Evaluated(Scaled()), build);

            var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011");
            Assert.Contains($"stopped at deploy/{changed[^1]}: a folder is at that path", error.Message, StringComparison.Ordinal);
            Assert.Contains("This build changed nothing in it", error.Message, StringComparison.Ordinal);
            Assert.Contains("deploy/.configascode/accept-journal.json", error.Message, StringComparison.Ordinal);
            AssertSame(before, Snapshots); // the other renames waited, and the journal and its staged files are kept
        }

        Directory.Delete(blocked, recursive: true);
        var next = GateRunner.Run(Evaluated(Scaled()), Options());

        Assert.Contains(next.Summary, l => l.Contains("finished an accept that was interrupted", StringComparison.Ordinal));
        Assert.True(next.Drift!.IsClean, string.Join("\n", next.Diagnostics));
        Assert.False(File.Exists(Path.Combine(Snapshots, ".configascode", "accept-journal.json")));
    }

    [Fact]
    public void A_folder_that_comes_in_the_way_after_the_listing_withdraws_the_journal_before_any_rename()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var (folder, problem) = SnapshotFolder.Open(Options(accept: true));
        Assert.Null(problem);
        var before = Bytes(Snapshots);
        Directory.CreateDirectory(Path.Combine(Snapshots, "prod", "new", "service-new.yaml"));

        var stopped = AcceptTransaction.Commit(folder!, new AcceptPlan([new RenderedFile("prod/chat-8b/service-chat-8b.yaml", "kind: Service\n"u8.ToArray()), new RenderedFile("prod/new/service-new.yaml", "kind: Service\n"u8.ToArray())], [], "{\"files\":[]}"u8.ToArray()), "deploy");

        Assert.Equal("CAC9013", stopped!.Code);
        Assert.Contains("deploy/prod/new/service-new.yaml: a folder is at that path", stopped.Message, StringComparison.Ordinal);
        AssertSame(before, Snapshots);
    }

    [Fact]
    public void A_journal_that_stops_half_way_is_a_coded_error_that_keeps_the_journal()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        // The first rename creates the folder the second one must write a file at: no check before can see it.
        Interrupt(["prod/notes/a.yaml/b.yaml", "prod/notes/a.yaml"]);

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011");
        Assert.Contains("stopped at deploy/prod/notes/a.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 of 2 change(s) were made before it stopped", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Snapshots, ".configascode", "accept-journal.json")));
        Assert.True(File.Exists(Path.Combine(Snapshots, ".configascode", "staging", "1")));

        var again = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.Contains("stopped at deploy/prod/notes/a.yaml: a folder is at that path", Assert.Single(again.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_in_the_staging_folder_is_a_coded_error_and_is_left_alone()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        var mine = Path.Combine(Snapshots, ".configascode", "staging", "kept", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(mine)!);
        File.WriteAllText(mine, "hi\n");

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.Contains("removing them stopped at deploy/.configascode/staging", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9011").Message, StringComparison.Ordinal);
        Assert.Equal("hi\n", File.ReadAllText(mine));
    }

    [Fact]
    public void A_folder_where_an_owned_file_was_is_never_removed_by_an_accept_or_a_journal()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var owned = Path.Combine(Snapshots, "staging", "chat-8b", "service-chat-8b.yaml");
        File.Delete(owned);
        Directory.CreateDirectory(owned);
        var notes = Path.Combine(owned, "notes.txt");
        File.WriteAllText(notes, "hi\n");

        // A journal that lists it as a removal passes it by.
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), "{\"writes\":[],\"removals\":[\"staging/chat-8b/service-chat-8b.yaml\"]}");
        var replayed = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options());

        Assert.DoesNotContain(replayed.Diagnostics, d => d.Code == "CAC9011");
        Assert.Equal("hi\n", File.ReadAllText(notes));

        // An accept that removes the environment: the folder is not an owned file, so it is no removal.
        var count = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options()).Drift!.Removed;
        var accepted = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, allowRemovals: count));

        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));
        Assert.DoesNotContain(accepted.Drift!.Files, f => f.Path == "staging/chat-8b/service-chat-8b.yaml");
        Assert.Equal("hi\n", File.ReadAllText(notes));
    }

    [Fact]
    public void A_file_listed_in_the_index_by_hand_is_never_removed_by_an_accept_or_a_journal()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var mine = Path.Combine(Snapshots, "prod", "mine.yaml");
        File.WriteAllText(mine, "kind: ConfigMap\n");
        var indexPath = Path.Combine(Snapshots, ".configascode", "provenance.json");
        var index = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["files"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["path"] = "prod/mine.yaml", ["sha256"] = new string('0', 64) });
        File.WriteAllText(indexPath, index.ToJsonString());

        // The plain build names it, and says why accept will not remove it.
        var plain = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options());
        Assert.Contains(plain.Diagnostics, d => d.Code == "CAC9003" && d.Message.Contains("prod/mine.yaml", StringComparison.Ordinal) && d.Message.Contains("accept will not remove it", StringComparison.Ordinal));

        // An accept, even one that names the exact count of removals, is refused and removes nothing.
        var accept = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true, allowRemovals: 1));
        Assert.False(accept.Accepted);
        Assert.Contains(accept.Diagnostics, d => d.Code == "CAC9013" && d.Message.Contains("prod/mine.yaml", StringComparison.Ordinal));
        Assert.Equal("kind: ConfigMap\n", File.ReadAllText(mine));

        // A journal committed with that index stops before its first change.
        File.WriteAllText(Path.Combine(Snapshots, ".configascode", "accept-journal.json"), "{\"writes\":[],\"removals\":[\"prod/mine.yaml\"]}");
        var replayed = GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options());
        Assert.Contains(replayed.Diagnostics, d => d.Code == "CAC9011" && d.Message.Contains("prod/mine.yaml", StringComparison.Ordinal));
        Assert.Equal("kind: ConfigMap\n", File.ReadAllText(mine));
    }

    [Fact]
    public void An_orphan_edited_by_hand_is_removed_only_once_it_holds_what_the_tool_wrote_again()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant(), Staging()), Options(accept: true));
        var orphan = Path.Combine(Snapshots, "staging", "chat-8b", "service-chat-8b.yaml");
        var original = File.ReadAllBytes(orphan);
        File.AppendAllText(orphan, "# edited by hand\n");
        var count = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options()).Drift!.Removed;

        var refused = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, allowRemovals: count));

        Assert.False(refused.Accepted);
        Assert.Contains(refused.Diagnostics, d => d.Code == "CAC9013" && d.Message.Contains("staging/chat-8b/service-chat-8b.yaml", StringComparison.Ordinal) && d.Message.Contains("edited by hand", StringComparison.Ordinal));
        Assert.True(File.Exists(orphan));

        File.WriteAllBytes(orphan, original);
        var accepted = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true, allowRemovals: count));

        Assert.True(accepted.Accepted, string.Join("\n", accepted.Diagnostics));
        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public void Stale_reports_of_an_earlier_run_never_survive()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(accept: true));
        GateRunner.Run(Evaluated(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 } }), Options());
        Assert.True(File.Exists(Path.Combine(Output, "drift.diff")));

        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options());

        Assert.False(File.Exists(Path.Combine(Output, "drift.diff")), "a clean run removes the last run's diff");
    }
}

/// <summary>A platform the discovery contract skips: not public.</summary>
internal sealed class InternalPlatform : InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare() => [Fixtures.Compliant()];
}
