using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The fingerprint a reused verdict rests on moves with every evaluated value and refuses what it cannot see into; the
/// held outputs are reused only as they were written.
/// </summary>
public sealed class VerdictReuseTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "cac-verdict-" + Guid.NewGuid().ToString("N"), "obj", "configascode");

    public void Dispose()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(_output))!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_same_values_built_again_give_the_same_fingerprint()
    {
        var first = Fingerprint(RepresentativePlatform.Deployments());
        var second = Fingerprint(RepresentativePlatform.Deployments());

        Assert.NotNull(first);
        Assert.Equal(64, first!.Length);
        Assert.Equal(first, second);
    }

    public static TheoryData<string> Changes => new(Changed.Keys);

    // One evaluated value changed per entry, each of a kind the gate reads: what the config hash leaves out too
    // (environment, declaration line, intended differences, suppressions), numbers by their bits, order, and the
    // platform's settings beside the deployments.
    private static readonly Dictionary<string, Func<EvaluationResult, EvaluationResult>> Changed = new(StringComparer.Ordinal)
    {
        ["an engine knob"] = e => WithFirst(e, d => d with { Engine = ((VllmEngine)d.Engine) with { MaxNumSeqs = 65 } }),
        ["an env value"] = e => WithFirst(e, d => d with { Env = [.. d.Env.Take(1), EnvVar.Literal("VLLM_LOGGING_LEVEL", "DEBUG"), .. d.Env.Skip(2)] }),
        ["the environment"] = e => WithFirst(e, d => d with { Environment = DeploymentEnvironment.Dev }),
        ["the declaration line"] = e => WithFirst(e, d => d with { DeclaredAt = d.DeclaredAt with { Line = d.DeclaredAt.Line + 1 } }),
        ["the declaration file"] = e => WithFirst(e, d => d with { DeclaredAt = d.DeclaredAt with { FilePath = d.DeclaredAt.FilePath + "x" } }),
        ["the intended differences"] = e => WithFirst(e, d => d with { IntendedDifferences = ["Scaling.MaxReplicas"] }),
        ["a suppression"] = e => WithFirst(e, d => d with { Suppressions = [new RuleSuppression("CAC1007", "reason")] }),
        ["the cluster profile"] = e => WithFirst(e, d => d with { Cluster = d.Cluster with { SharedStorageClass = "other-sc" } }),
        ["a cost label"] = e => WithFirst(e, d => d with { Cost = d.Cost! with { Labels = new Dictionary<string, string> { ["product"] = "chat2" } } }),
        ["a double in its last bit"] = e => WithFirst(e, d => d with { Engine = ((VllmEngine)d.Engine) with { GpuMemoryUtilization = Math.BitIncrement(((VllmEngine)d.Engine).GpuMemoryUtilization) } }),
        ["the order of the deployments"] = e => e with { Deployments = e.Deployments.Reverse().ToArray() },
        ["one deployment fewer"] = e => e with { Deployments = e.Deployments.Skip(1).ToArray() },
        ["a platform name"] = e => e with { PlatformNames = ["Other"] },
        ["the pricing target"] = e => e with { Pricing = PricingTarget.AwsUsEast1 with { Region = "eu-west-1" } },
        ["a decimal's scale"] = e => e with { PriceOverrides = [new GpuPriceOverride("nvidia-l4", PricingTarget.AwsUsEast1, 1.00m)] },
        ["a budget"] = e => e with { Budgets = [new CostBudget { Name = "b", MonthlyUsd = 1000m }] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Every_evaluated_value_moves_the_fingerprint(string change)
    {
        var evaluation = new EvaluationResult(RepresentativePlatform.Deployments(), []) { PlatformNames = ["Platform"], PriceOverrides = [new GpuPriceOverride("nvidia-l4", PricingTarget.AwsUsEast1, 1.0m)] };
        var changed = Changed[change](evaluation);

        var (before, why) = ModelFingerprint.Of(evaluation);
        Assert.True(before is not null, why);
        var (after, unsupported) = ModelFingerprint.Of(changed);

        Assert.NotNull(before);
        Assert.Null(unsupported);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_dictionary_comparer_of_the_runtime_is_part_of_the_fingerprint_and_one_of_a_culture_or_of_the_user_refuses_it()
    {
        Dictionary<string, string> Labels(IEqualityComparer<string>? comparer) => new(comparer) { ["product"] = "chat" };
        string? With(IEqualityComparer<string>? comparer, out string? why)
        {
            var (fingerprint, unsupported) = ModelFingerprint.Of(new EvaluationResult([Fixtures.Compliant() with { Cost = Fixtures.Compliant().Cost! with { Labels = Labels(comparer) } }], []));
            why = unsupported;
            return fingerprint;
        }

        Assert.NotEqual(With(StringComparer.Ordinal, out _), With(StringComparer.OrdinalIgnoreCase, out _));
        Assert.Null(With(StringComparer.Create(CultureInfo.GetCultureInfo("tr-TR"), ignoreCase: true), out var culture));
        Assert.Contains("comparer", culture, StringComparison.Ordinal);
        Assert.Null(With(new LengthComparer(), out var user));
        Assert.Contains(nameof(LengthComparer), user, StringComparison.Ordinal);
    }

    [Fact]
    public void Sorted_and_immutable_dictionaries_with_the_runtimes_ordinal_comparers_have_a_fingerprint()
    {
        // StringComparer.Ordinal is the runtime's OrdinalCaseSensitiveComparer wherever a collection keeps it as given
        // (a Dictionary swaps in its own): not in the list, such a platform never had a verdict reused.
        string? Why(IReadOnlyDictionary<string, string> labels) => ModelFingerprint.Of(new EvaluationResult([Fixtures.Compliant() with { Cost = Fixtures.Compliant().Cost! with { Labels = labels } }], [])).Unsupported;

        Assert.Null(Why(new SortedDictionary<string, string>(StringComparer.Ordinal) { ["product"] = "chat" }));
        Assert.Null(Why(new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["product"] = "chat" }));
        Assert.Null(Why(System.Collections.Immutable.ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("product", "chat")));
        Assert.Null(Why(System.Collections.Immutable.ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add("product", "chat")));
    }

    [Fact]
    public void A_collection_of_the_users_own_type_or_a_failed_evaluation_has_no_fingerprint()
    {
        var (own, why) = ModelFingerprint.Of(new EvaluationResult([Fixtures.Compliant() with { Env = new UserList([EnvVar.Literal("A", "b")]) }], []));
        Assert.Null(own);
        Assert.Contains("declared outside the ConfigAsCode library", why, StringComparison.Ordinal);

        var (failed, _) = ModelFingerprint.Of(new EvaluationResult([Fixtures.Compliant()], [new Finding(RuleCatalog.GenerationFailed, RuleSeverity.Error, FindingOutcome.Violation, string.Empty, string.Empty, "Declare", new SourceLocation("Deployments.cs", 3), "threw")]));
        Assert.Null(failed);
    }

    [Fact]
    public void A_wrapper_of_the_users_collection_and_a_comparer_built_from_a_delegate_have_no_fingerprint()
    {
        string? Why(InferenceDeployment deployment) => ModelFingerprint.Of(new EvaluationResult([deployment], [])).Unsupported;

        // A read-only wrapper is walked to what it wraps: the runtime's list is fine, the user's is code.
        Assert.Null(Why(Fixtures.Compliant() with { Env = new System.Collections.ObjectModel.ReadOnlyCollection<EnvVar>([EnvVar.Literal("A", "b")]) }));
        Assert.Contains(nameof(UserCollection), Why(Fixtures.Compliant() with { Env = new System.Collections.ObjectModel.ReadOnlyCollection<EnvVar>(new UserCollection { EnvVar.Literal("A", "b") }) }), StringComparison.Ordinal);
        Assert.Contains("comparer", Why(Fixtures.Compliant() with { Cost = Fixtures.Compliant().Cost! with { Labels = new Dictionary<string, string>(EqualityComparer<string>.Create((a, b) => a == b, a => a!.Length)) { ["a"] = "b" } } }), StringComparison.Ordinal);
        Assert.Contains("comparer", Why(Fixtures.Compliant() with { Cost = Fixtures.Compliant().Cost! with { Labels = System.Collections.Immutable.ImmutableDictionary.Create<string, string>(new LengthComparer()).Add("a", "b") } }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_snapshot_listing_moves_with_a_file_added_or_removed_and_a_link()
    {
        var folder = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(_output))!, "deploy");
        Directory.CreateDirectory(Path.Combine(folder, "prod", "chat"));
        File.WriteAllText(Path.Combine(folder, "prod", "chat", "deployment-chat.yaml"), "kind: Deployment");
        var first = VerdictReuse.SnapshotListing(folder);
        Assert.Equal(first, VerdictReuse.SnapshotListing(folder));

        File.WriteAllText(Path.Combine(folder, "NOTES.md"), "notes");
        var withNotes = VerdictReuse.SnapshotListing(folder);
        Assert.NotEqual(first, withNotes);

        File.CreateSymbolicLink(Path.Combine(folder, "prod", "outside"), Path.GetTempPath());
        var withLink = VerdictReuse.SnapshotListing(folder);
        Assert.NotEqual(withNotes, withLink);

        File.Delete(Path.Combine(folder, "prod", "chat", "deployment-chat.yaml"));
        Assert.NotEqual(withLink, VerdictReuse.SnapshotListing(folder));
    }

    [Fact]
    public void The_recorded_listing_stands_only_while_no_folder_of_the_snapshot_folder_has_changed()
    {
        var options = Options() with { ProveListing = true };
        var deploy = options.SnapshotDirectory;
        Directory.CreateDirectory(deploy);
        if (!ChangeTimesProve(deploy))
        {
            // Elsewhere (not Linux, not a local file system) there is no change time to trust: listed on every run.
            Assert.Null(VerdictReuse.ProofOf(SnapshotFolder.Open(options).Folder!).FolderState);
            return;
        }

        void Make(string relative, string? content = "kind: ConfigMap")
        {
            var path = Path.Combine(deploy, relative);
            Directory.CreateDirectory(content is null ? path : Path.GetDirectoryName(path)!);
            if (content is not null)
            {
                File.WriteAllText(path, content);
            }
        }

        Make("prod/chat/deployment-chat.yaml");
        Make("prod/chat/service-chat.yaml");
        Make("prod/empty", content: null);
        Make("dev/a/b/c/deployment-x.yaml");

        // Recorded the way a passing run records it: the folder opened, its statuses read at the end of the run.
        VerdictReuse.Recorded Recorded()
        {
            // Older than a tick of the file system's clock before the listing: what changed earlier cannot hide.
            System.Threading.Thread.Sleep(FileStatus.Tick * 2);
            var (folder, problem) = SnapshotFolder.Open(options);
            Assert.Null(problem);
            var proof = VerdictReuse.ProofOf(folder!);
            Assert.True(proof.FolderState is not null, "on Linux's local file systems the folders' statuses prove the listing");
            Assert.Equal(VerdictReuse.SnapshotListing(deploy), proof.Listing);
            return new VerdictReuse.Recorded(2, "k", [], [], proof.Listing, proof.Folders, proof.FolderState);
        }

        var record = Recorded();
        Assert.Equal(record.Listing, VerdictReuse.RecordedListing(deploy, record));

        // A file's content rewritten under the same name is the inputs file's business (it signs owned files), not the
        // listing's: the recorded listing still stands.
        File.WriteAllText(Path.Combine(deploy, "prod/chat/service-chat.yaml"), "kind: Service");
        Assert.Equal(record.Listing, VerdictReuse.RecordedListing(deploy, record));

        // Each change of a name anywhere, however deep, in a folder that was empty, or of the folder itself.
        foreach (var (what, change) in new (string, Action)[]
        {
            ("a file added deep down", () => Make("dev/a/b/c/NOTES.md")),
            ("a file added in a folder that was empty", () => Make("prod/empty/extra.yaml")),
            ("a link added deep down", () => File.CreateSymbolicLink(Path.Combine(deploy, "dev/a/b/link"), Path.GetTempPath())),
            ("a file removed", () => File.Delete(Path.Combine(deploy, "prod/chat/deployment-chat.yaml"))),
            ("a file renamed", () => File.Move(Path.Combine(deploy, "prod/chat/service-chat.yaml"), Path.Combine(deploy, "prod/chat/service-chat2.yaml"))),
            ("an empty folder added", () => Make("prod/new", content: null)),
            ("a folder's permissions", () =>
            {
                if (OperatingSystem.IsLinux())
                {
                    File.SetUnixFileMode(Path.Combine(deploy, "dev/a"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }),
            ("the folder replaced by a copy", () =>
            {
                Directory.Move(deploy, deploy + ".old");
                Directory.CreateDirectory(deploy);
                foreach (var file in Directory.GetFiles(deploy + ".old", "*", SearchOption.AllDirectories).Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint)))
                {
                    Make(Path.GetRelativePath(deploy + ".old", file), File.ReadAllText(file));
                }

                foreach (var folder in Directory.GetDirectories(deploy + ".old", "*", SearchOption.AllDirectories))
                {
                    Make(Path.GetRelativePath(deploy + ".old", folder), content: null);
                }

                Directory.Delete(deploy + ".old", recursive: true);
            }),
            ("the folder replaced by a link", () =>
            {
                Directory.Move(deploy, deploy + ".real");
                Directory.CreateSymbolicLink(deploy, deploy + ".real");
            }),
        })
        {
            change();
            Assert.True(VerdictReuse.RecordedListing(deploy, record) is null, what);
            if (what == "a link added deep down")
            {
                File.Delete(Path.Combine(deploy, "dev/a/b/link")); // a full run refuses the folder: nothing to record
            }
            else if (what == "the folder replaced by a link")
            {
                Directory.Delete(deploy);
                Directory.Move(deploy + ".real", deploy);
            }

            record = Recorded();
        }
    }

    [Fact]
    public void A_folder_changed_within_a_tick_of_the_listing_after_it_or_under_a_clock_set_back_proves_nothing()
    {
        var options = Options() with { ProveListing = true };
        var deploy = options.SnapshotDirectory;
        Directory.CreateDirectory(Path.Combine(deploy, "prod", "chat"));
        File.WriteAllText(Path.Combine(deploy, "prod", "chat", "deployment-chat.yaml"), "kind: Deployment");
        if (!ChangeTimesProve(deploy))
        {
            Assert.Null(VerdictReuse.ProofOf(SnapshotFolder.Open(options).Folder!).FolderState);
            return;
        }

        System.Threading.Thread.Sleep(FileStatus.Tick * 2);
        var folder = SnapshotFolder.Open(options).Folder!;
        Assert.NotNull(folder.ListedState);
        Assert.NotNull(VerdictReuse.ProofOf(folder).FolderState);
        Assert.Null(VerdictReuse.ProofOf(SnapshotFolder.Open(options with { ProveListing = false }).Folder!).FolderState);

        // As if listed less than a tick after the latest change of a folder in it: a second change in the same tick of
        // the file system's clock would leave its change time where it is. A tick and more after it, the statuses prove.
        var latest = new[] { deploy, Path.Combine(deploy, "prod"), Path.Combine(deploy, "prod", "chat") }.Max(ChangeTime);
        Assert.Null(VerdictReuse.ProofOf(folder, listedAt: latest + (FileStatus.TickNanoseconds / 5)).FolderState);
        Assert.NotNull(VerdictReuse.ProofOf(folder, listedAt: latest + FileStatus.TickNanoseconds + 1).FolderState);

        // A change after the listing, with the clock set back while the gate ran (its change time older than the
        // listing): the statuses read right after the listing differ from those at the end.
        File.WriteAllText(Path.Combine(deploy, "prod", "chat", "NOTES.md"), "notes");
        var stepped = VerdictReuse.ProofOf(folder, listedAt: folder.ListedAt + 2_000_000_000);
        Assert.Null(stepped.FolderState);

        // A record whose statuses or folders prove nothing, or name folders no listing gives, is never trusted.
        var listing = VerdictReuse.SnapshotListing(deploy);
        Assert.Null(VerdictReuse.RecordedListing(deploy, new VerdictReuse.Recorded(2, "k", [], [], listing, null, null)));
        Assert.Null(VerdictReuse.RecordedListing(deploy, new VerdictReuse.Recorded(2, "k", [], [], listing, ["prod"], "0000")));
        foreach (var bad in new[] { null!, "", "/etc", "../outside", "prod/../..", "prod//chat" })
        {
            Assert.Null(VerdictReuse.RecordedListing(deploy, new VerdictReuse.Recorded(2, "k", [], [], listing, ["prod", bad], "0000")));
        }
    }

    // True where folders' change times can prove a listing: Linux, on the local file systems the signature trusts.
    private static bool ChangeTimesProve(string folder) => OperatingSystem.IsLinux() && FileStatus.LocalDevice(folder) is not null;

    private static long ChangeTime(string folder)
    {
        var status = new byte[FileStatus.Size];
        Assert.Equal(FileStatus.Kind.Folder, FileStatus.Read(System.Text.Encoding.UTF8.GetBytes(folder + "\0"), status));
        return FileStatus.Describe(status).Changed;
    }

    [Fact]
    public void A_link_where_an_output_belongs_is_removed_not_followed_and_an_unreadable_record_holds_nothing()
    {
        var options = Options();
        var outside = Path.Combine(Path.GetDirectoryName(_output)!, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "keep");
        Write("report.json", "{}");
        VerdictReuse.Record(options, "k", []);
        File.Delete(Path.Combine(_output, "report.json"));
        Directory.CreateSymbolicLink(Path.Combine(_output, "report.json"), outside);

        var held = VerdictReuse.Hold(options);

        Assert.NotNull(held);
        Assert.False(VerdictReuse.HeldOutputsMatch(options, held!));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "keep.txt")));
        Assert.False(File.Exists(Path.Combine(_output, "report.json")) || Directory.Exists(Path.Combine(_output, "report.json")));

        VerdictReuse.RemoveHeld(_output);
        Directory.CreateDirectory(Path.Combine(_output, VerdictReuse.FileName));
        Assert.Null(VerdictReuse.Hold(options));
        VerdictReuse.Record(options, "k", []);
        Assert.True(Directory.Exists(Path.Combine(_output, VerdictReuse.FileName)), "a folder at the record's path is left alone, and nothing is recorded");
    }

    [Fact]
    public void Values_nested_thousands_of_levels_deep_have_no_fingerprint_instead_of_overflowing_the_stack()
    {
        IReadOnlyList<string> hostnames = ["chat.example.com"];
        for (var i = 0; i < 5000; i++)
        {
            hostnames = new System.Collections.ObjectModel.ReadOnlyCollection<string>((IList<string>)hostnames);
        }

        var (fingerprint, why) = ModelFingerprint.Of(new EvaluationResult([Fixtures.Compliant() with { IntendedDifferences = hostnames }], []));

        Assert.Null(fingerprint);
        Assert.Contains("levels deep", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_compared_a_snapshot_file_the_gate_does_not_own_says_so_and_one_that_did_not_does_not()
    {
        var project = Path.GetDirectoryName(Path.GetDirectoryName(_output))!;
        var options = new GateOptions { ProjectDirectory = project, SnapshotDirectory = Path.Combine(project, "deploy"), OutputDirectory = _output };
        Assert.False(GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []), options with { Accept = true }).Failed);

        var owned = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []), options);
        Assert.False(owned.Failed);
        Assert.False(owned.ReadForeignSnapshots);

        // Without the ownership index every snapshot is someone else's file, compared by content (adopted when equal).
        File.Delete(Path.Combine(project, "deploy", ".configascode", "provenance.json"));
        var foreign = GateRunner.Run(new EvaluationResult([Fixtures.Compliant()], []), options);
        Assert.True(foreign.ReadForeignSnapshots);
    }

    [Fact]
    public void Held_outputs_are_reused_only_as_they_were_written()
    {
        var options = Options();
        Write("report.json", "{}");
        Write("report.md", "# report");
        Write("warnings.log", string.Empty);
        Write("deploy/prod/chat/deployment-chat.yaml", "kind: Deployment");
        VerdictReuse.Record(options, "key-1", [new VerdictLine("summary", RuleSeverity.Info, string.Empty, null, 0, "ConfigAsCode: no drift")]);

        var held = VerdictReuse.Hold(options);
        Assert.NotNull(held);
        Assert.Equal("key-1", held!.Key);
        Assert.False(File.Exists(Path.Combine(_output, "report.json")), "while the evaluation runs, the last run's reports are not where a reader takes them");
        Assert.True(VerdictReuse.HeldOutputsMatch(options, held));
        VerdictReuse.Restore(options, held);
        Assert.Equal("# report", File.ReadAllText(Path.Combine(_output, "report.md")));
        Assert.False(Directory.Exists(Path.Combine(_output, VerdictReuse.HeldFolder)));

        // Changed, removed, added, or replaced by a link: not reused.
        foreach (var tamper in new Action<string>[]
        {
            held => File.WriteAllText(Path.Combine(held, "report.md"), "# edited"),
            held => File.Delete(Path.Combine(held, "report.md")),
            held => File.WriteAllText(Path.Combine(held, "deploy", "prod", "extra.yaml"), "kind: ConfigMap"),
            held => File.WriteAllText(Path.Combine(held, "drift.diff"), "diff"),
            held =>
            {
                File.Delete(Path.Combine(held, "report.md"));
                File.CreateSymbolicLink(Path.Combine(held, "report.md"), Path.Combine(held, "report.json"));
            },
        })
        {
            var again = VerdictReuse.Hold(options)!;
            tamper(Path.Combine(_output, VerdictReuse.HeldFolder));
            Assert.False(VerdictReuse.HeldOutputsMatch(options, again));
            VerdictReuse.RemoveHeld(_output);
            Write("report.md", "# report");
            Write("deploy/prod/chat/deployment-chat.yaml", "kind: Deployment");
            Write("warnings.log", string.Empty);
            Write("report.json", "{}");
            VerdictReuse.Record(options, "key-1", []);
        }
    }

    [Fact]
    public void A_large_output_is_checked_to_its_last_byte()
    {
        // report.json is 98 MB at 10,000 deployments: one byte changed anywhere in a large output, the size kept, is a
        // change.
        var options = Options();
        var bytes = new byte[(17 << 20) + 5];
        new Random(20).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(_output, "report.json"), bytes);
        VerdictReuse.Record(options, "k", []);
        var held = VerdictReuse.Hold(options)!;
        Assert.True(VerdictReuse.HeldOutputsMatch(options, held));

        foreach (var at in new[] { 0, (8 << 20) + 1, bytes.Length - 1 })
        {
            var path = Path.Combine(_output, VerdictReuse.HeldFolder, "report.json");
            bytes[at] ^= 1;
            File.WriteAllBytes(path, bytes);
            Assert.False(VerdictReuse.HeldOutputsMatch(options, held), $"byte {at}");
            bytes[at] ^= 1;
            File.WriteAllBytes(path, bytes);
            Assert.True(VerdictReuse.HeldOutputsMatch(options, held), $"byte {at} put back");
        }
    }

    [Fact]
    public void A_record_with_a_missing_element_or_an_output_path_that_leaves_the_output_folder_is_no_record()
    {
        var options = Options();
        var outside = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(_output))!, "victim");
        File.WriteAllText(outside, "kept");
        var good = "{\"Version\":2,\"Key\":\"k\",\"Lines\":[{\"Kind\":\"summary\",\"Severity\":\"Info\",\"Code\":\"\",\"File\":null,\"Line\":0,\"Message\":\"m\"}],\"Files\":[{\"Path\":\"report.md\",\"Size\":0,\"Sha256\":\"E3\"}]}";
        Write("report.md", string.Empty);
        Write(VerdictReuse.FileName, good);
        Assert.NotNull(VerdictReuse.Hold(options));
        VerdictReuse.RemoveHeld(_output);

        foreach (var bad in new[]
        {
            good.Replace("[{\"Path\"", "[null,{\"Path\"", StringComparison.Ordinal),
            good.Replace("[{\"Kind\"", "[null,{\"Kind\"", StringComparison.Ordinal),
            good.Replace("\"Message\":\"m\"", "\"Message\":null", StringComparison.Ordinal),
            good.Replace("\"Kind\":\"summary\"", "\"Kind\":\"other\"", StringComparison.Ordinal),
            good.Replace("\"Severity\":\"Info\"", "\"Severity\":42", StringComparison.Ordinal),
            good.Replace("\"Sha256\":\"E3\"", "\"Sha256\":null", StringComparison.Ordinal),
            good.Replace("\"report.md\"", "\"deploy/../../../victim\"", StringComparison.Ordinal),
            good.Replace("\"report.md\"", "\"" + outside + "\"", StringComparison.Ordinal),
            good.Replace("\"report.md\"", "\"deploy/..\\\\..\\\\..\\\\victim\"", StringComparison.Ordinal),
            good.Replace("\"report.md\"", "\"deploy//x.yaml\"", StringComparison.Ordinal),
        })
        {
            Write("report.md", string.Empty);
            Write(VerdictReuse.FileName, bad);
            Assert.True(VerdictReuse.Hold(options) is null, bad);
            Assert.False(File.Exists(Path.Combine(_output, "report.md")), "no record: the last outputs are removed, as always");
        }

        // On Unix a backslash is a character of a name: an output named with one is recorded as that name (never with a
        // '/' for it) and refused as a record. A forged record that names a way out matches no held outputs.
        if (!OperatingSystem.IsWindows())
        {
            Write("deploy/a\\b.yaml", string.Empty);
            VerdictReuse.Record(options, "k", []);
            Assert.Contains("\"deploy/a\\\\b.yaml\"", File.ReadAllText(Path.Combine(_output, VerdictReuse.FileName)), StringComparison.Ordinal);
            Assert.Null(VerdictReuse.Hold(options));
        }

        Directory.Delete(Path.Combine(_output, "deploy"), recursive: true); // what removing the stale outputs left
        Write("report.md", string.Empty);
        Write(VerdictReuse.FileName, good);
        var held = VerdictReuse.Hold(options)!;
        Assert.NotNull(held);
        var forged = held with { Files = [new VerdictReuse.RecordedFile("deploy/../../../victim", 0, "E3")] };
        Assert.False(VerdictReuse.HeldOutputsMatch(options, forged));
        Assert.Throws<IOException>(() => VerdictReuse.Restore(options, forged));

        // The held folder replaced by a link after it was matched: nothing is put back through it.
        Assert.True(VerdictReuse.HeldOutputsMatch(options, held));
        var heldFolder = Path.Combine(_output, VerdictReuse.HeldFolder);
        var elsewhere = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(_output))!, "elsewhere");
        Directory.Move(heldFolder, elsewhere);
        Directory.CreateSymbolicLink(heldFolder, elsewhere);
        Assert.False(VerdictReuse.HeldOutputsMatch(options, held));
        Assert.Throws<IOException>(() => VerdictReuse.Restore(options, held));
        Assert.True(File.Exists(Path.Combine(elsewhere, "report.md")), "the link's target is left alone");
        VerdictReuse.RemoveHeld(_output);
        Assert.True(Directory.Exists(elsewhere), "removing the held outputs removes the link, not its target");

        // A code or file with a line break would write protocol lines of its own when replayed.
        foreach (var line in new[] { "\"Code\":\"\"", "\"File\":null" })
        {
            Write("report.md", string.Empty);
            Write(VerdictReuse.FileName, good.Replace(line, line.Replace("\"\"", "\"CAC1\\n##configascode|error\"", StringComparison.Ordinal).Replace("null", "\"a\\nb\"", StringComparison.Ordinal), StringComparison.Ordinal));
            Assert.Null(VerdictReuse.Hold(options));
        }

        Assert.Equal("kept", File.ReadAllText(outside));
    }

    [Fact]
    public void Every_source_location_the_evaluation_holds_is_collected_for_the_key()
    {
        // A budget's file is mapped back and judged by its own .editorconfig section like a deployment's.
        var budget = new CostBudget("/_/Budgets.cs", 7) { Name = "ml", MonthlyUsd = 1m };
        var deployment = Fixtures.Compliant();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var (fingerprint, unsupported) = ModelFingerprint.Of(new EvaluationResult([deployment], []) { Budgets = [budget] }, files);

        Assert.Null(unsupported);
        Assert.Equal(ModelFingerprint.Of(new EvaluationResult([deployment], []) { Budgets = [budget] }).Fingerprint, fingerprint);
        Assert.Contains("/_/Budgets.cs", files);
        Assert.Contains(deployment.DeclaredAt.FilePath, files);
    }

    [Fact]
    public void A_record_that_is_missing_or_unreadable_holds_nothing_and_removes_the_last_outputs()
    {
        var options = Options();
        Write("report.json", "{}");
        Assert.Null(VerdictReuse.Hold(options));
        Assert.False(File.Exists(Path.Combine(_output, "report.json")));

        Write("report.json", "{}");
        Write(VerdictReuse.FileName, "{ not json");
        Assert.Null(VerdictReuse.Hold(options));
        Assert.False(File.Exists(Path.Combine(_output, "report.json")));
        Assert.False(Directory.Exists(Path.Combine(_output, VerdictReuse.HeldFolder)));
    }

    [Fact]
    public void Removing_stale_reports_removes_held_ones_too()
    {
        var options = Options();
        Write("report.json", "{}");
        VerdictReuse.Record(options, "k", []);
        Assert.NotNull(VerdictReuse.Hold(options));

        Reports.RemoveStale(options);

        Assert.False(Directory.Exists(Path.Combine(_output, VerdictReuse.HeldFolder)));
        Assert.False(File.Exists(Path.Combine(_output, VerdictReuse.FileName)));
    }

    [Fact]
    public void CI_accepting_the_full_tree_and_the_opt_out_never_reuse()
    {
        var options = Options();
        var inputs = Path.Combine(_output, "..", "configascode.inputs");
        File.WriteAllText(inputs, "snapshot-signature=absent\n");
        Assert.Null(VerdictReuse.Refusal(options, enabled: true, inputs));
        Assert.NotNull(VerdictReuse.Refusal(options, enabled: false, inputs));
        Assert.NotNull(VerdictReuse.Refusal(options with { CiReason = "CI=true" }, enabled: true, inputs));
        Assert.NotNull(VerdictReuse.Refusal(options with { Accept = true }, enabled: true, inputs));
        Assert.NotNull(VerdictReuse.Refusal(options with { WriteFullTree = true }, enabled: true, inputs));
        Assert.NotNull(VerdictReuse.Refusal(options, enabled: true, null));
        Assert.NotNull(VerdictReuse.Refusal(options, enabled: true, inputs + ".missing"));
    }

    [Fact]
    public void The_key_moves_with_every_part_and_with_the_fingerprint()
    {
        var key = VerdictReuse.Key("f", ["a", "b"]);
        Assert.NotEqual(key, VerdictReuse.Key("g", ["a", "b"]));
        Assert.NotEqual(key, VerdictReuse.Key("f", ["a", "c"]));
        Assert.NotEqual(key, VerdictReuse.Key("f", ["ab"]));
        Assert.NotEqual(key, VerdictReuse.Key("f", ["a", "b", string.Empty]));
        Assert.Equal(key, VerdictReuse.Key("f", ["a", "b"]));
    }

    private static string? Fingerprint(IReadOnlyList<InferenceDeployment> deployments) => ModelFingerprint.Of(new EvaluationResult(deployments, [])).Fingerprint;

    private static EvaluationResult WithFirst(EvaluationResult evaluation, Func<InferenceDeployment, InferenceDeployment> change) =>
        evaluation with { Deployments = [change(evaluation.Deployments[0]), .. evaluation.Deployments.Skip(1)] };

    private GateOptions Options()
    {
        Directory.CreateDirectory(_output);
        Synthesis.Rendering.ManifestFileWriter.MarkOutputFolder(_output);
        var project = Path.GetDirectoryName(Path.GetDirectoryName(_output))!;
        return new GateOptions { ProjectDirectory = project, SnapshotDirectory = Path.Combine(project, "deploy"), OutputDirectory = _output };
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private sealed class LengthComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x?.Length == y?.Length;

        public int GetHashCode(string obj) => obj.Length;
    }

    private sealed class UserCollection : System.Collections.ObjectModel.Collection<EnvVar>;

    private sealed class UserList(IReadOnlyList<EnvVar> items) : IReadOnlyList<EnvVar>
    {
        public EnvVar this[int index] => items[index];

        public int Count => items.Count;

        public IEnumerator<EnvVar> GetEnumerator() => items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
