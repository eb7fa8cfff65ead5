using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ConfigAsCode.Build;
using Microsoft.Build.Framework;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The snapshot folder is signed on another thread as the build starts, and the signature handed to the inputs file
/// through the build engine. Whatever goes wrong on the way (no such engine, another folder, a failed signing) must end
/// in the folder being signed where it is needed, never in a signature of something else.
/// </summary>
public sealed class EarlySignatureTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-early-" + Guid.NewGuid().ToString("N"));

    public EarlySignatureTests()
    {
        Write(".configascode/provenance.json", "{\"files\": [{\"path\": \"prod/chat/deployment-chat.yaml\"}]}\n");
        Write("prod/chat/deployment-chat.yaml", "kind: Deployment\nreplicas: 2\n");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(_root + "-obj"))
        {
            Directory.Delete(_root + "-obj", recursive: true);
        }
    }

    [Fact]
    public void The_task_starts_the_signature_and_the_ticket_takes_it_once()
    {
        var engine = new Engine();
        var task = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = _root };

        Assert.True(task.Execute());

        Assert.StartsWith("ConfigAsCode.SnapshotSignature.", task.Ticket, StringComparison.Ordinal);
        Assert.Equal(SnapshotSignature.Sign(_root), PendingSignature.Take(engine, task.Ticket, _root));
        Assert.Null(PendingSignature.Take(engine, task.Ticket, _root));
    }

    [Fact]
    public void Each_start_has_its_own_ticket()
    {
        var engine = new Engine();
        var first = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = _root };
        var second = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = _root };

        first.Execute();
        second.Execute();

        Assert.NotEqual(first.Ticket, second.Ticket);
        Assert.Equal(2, engine.Registered.Count);
    }

    [Fact]
    public void A_relative_folder_is_resolved_as_the_build_starts_as_the_inputs_and_host_tasks_resolve_it()
    {
        // MSBuild sets the working directory to the project's folder while its targets run, and moves it to whichever
        // project it builds next: the begin task resolves the folder on the build's thread, with the same function as
        // the inputs task and the host task (Path.GetFullPath), never on the signing thread. Resolving it any other way
        // (against $(MSBuildProjectDirectory), which keeps a link's spelling where the working directory is the physical
        // path) names another folder once the path climbs out of the link with "..".
        var engine = new Engine();
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), _root);
        Assert.False(Path.IsPathRooted(relative));
        var begin = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = relative };

        Assert.True(begin.Execute());

        var pending = Assert.IsType<PendingSignature>(Assert.Single(engine.Registered).Value);
        Assert.Equal(Path.GetFullPath(relative), pending.Folder);
        Assert.False(PendingSignature.Start(engine, "relative", relative, _ => "signed"));
        var (signedEarly, inputs) = Prepare(engine, relative, begin.Ticket);
        Assert.True(signedEarly);
        Assert.EndsWith("snapshot-signature=" + SnapshotSignature.Sign(_root) + "\n", inputs, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_of_another_folder_is_not_taken()
    {
        var engine = new Engine();
        Assert.True(PendingSignature.Start(engine, "ticket", _root, _ => "signature of the root"));

        Assert.Null(PendingSignature.Take(engine, "ticket", Path.Combine(_root, "prod")));
    }

    [Fact]
    public void The_same_folder_named_another_way_is_the_same_folder()
    {
        var engine = new Engine();
        Assert.True(PendingSignature.Start(engine, "ticket", _root, _ => "signature of the root"));

        Assert.Equal("signature of the root", PendingSignature.Take(engine, "ticket", Path.Combine(_root, "prod", "..")));
    }

    [Fact]
    public void A_failed_signing_is_signed_again_where_it_is_needed()
    {
        var engine = new Engine();
        Assert.True(PendingSignature.Start(engine, "ticket", _root, _ => throw new IOException("disk gone")));
        Assert.True(PendingSignature.Start(engine, "failed", _root, _ => throw new IOException("disk gone")));

        Assert.Null(PendingSignature.Take(engine, "ticket", _root));

        // The inputs task, handed a failed signing, signs the folder itself.
        var (signedEarly, inputs) = Prepare(engine, _root, "failed");
        Assert.False(signedEarly);
        Assert.EndsWith("snapshot-signature=" + SnapshotSignature.Sign(_root) + "\n", inputs, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_ticket_or_an_engine_that_holds_objects_nothing_is_taken()
    {
        var engine = new Engine();
        Assert.Null(PendingSignature.Take(engine, null, _root));
        Assert.Null(PendingSignature.Take(engine, "never started", _root));

        var plain = new PlainEngine();
        var task = new BeginConfigAsCodeSignature { BuildEngine = plain, SnapshotDirectory = _root };
        Assert.True(task.Execute());
        Assert.Equal(string.Empty, task.Ticket);
        Assert.Null(PendingSignature.Take(plain, "ticket", _root));
    }

    [Fact]
    public void An_engine_that_refuses_objects_gives_no_ticket()
    {
        var engine = new Engine { Refuses = true };
        var task = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = _root };

        Assert.True(task.Execute());

        Assert.Equal(string.Empty, task.Ticket);
    }

    [Fact]
    public void An_edit_after_the_build_started_is_seen_by_the_next_build()
    {
        var engine = new Engine();
        using var signed = new ManualResetEventSlim();
        Assert.True(PendingSignature.Start(engine, "first", _root, folder =>
        {
            var signature = SnapshotSignature.Sign(folder);
            signed.Set();
            return signature;
        }));
        Assert.True(signed.Wait(TimeSpan.FromSeconds(30)));
        var before = SnapshotSignature.Sign(_root);

        // The real clock throughout: a file changed within a tick of the signing is signed again once the tick has
        // passed, so this edit (of the same size) cannot share a change time with the file's first write.
        Write("prod/chat/deployment-chat.yaml", "kind: Deployment\nreplicas: 3\n");

        // This build's inputs hold the folder as it was when the build started; the next build's differ from them, so
        // the gate runs then.
        Assert.Equal(before, PendingSignature.Take(engine, "first", _root));
        Assert.True(PendingSignature.Start(engine, "second", _root, folder => SnapshotSignature.Sign(folder)));
        Assert.NotEqual(before, PendingSignature.Take(engine, "second", _root));
    }

    [Fact]
    public void When_the_gate_runs_the_folder_is_signed_again_and_nothing_else_in_the_inputs_changes()
    {
        var engine = new Engine();
        var inputs = Path.Combine(_root + "-obj", "configascode.inputs");
        var begin = new BeginConfigAsCodeSignature { BuildEngine = engine, SnapshotDirectory = _root };
        Assert.True(begin.Execute());

        // A property holding a line break and the key comes before the signature line; only the last one is the folder's.
        var prepare = new WriteConfigAsCodeInputs
        {
            BuildEngine = engine, File = inputs, SnapshotDirectory = _root, SignatureTicket = begin.Ticket,
            Properties = [new Microsoft.Build.Utilities.TaskItem("no-warn=x"), new Microsoft.Build.Utilities.TaskItem("severities=a\nsnapshot-signature=planted")],
        };
        Assert.True(prepare.Execute());
        Assert.True(prepare.SignedEarly);
        var started = File.ReadAllText(inputs);
        Assert.EndsWith("snapshot-signature=" + SnapshotSignature.Sign(_root) + "\n", started, StringComparison.Ordinal);

        Write("prod/chat/deployment-chat.yaml", "kind: Deployment\nreplicas: 3\n");
        var resign = new WriteConfigAsCodeInputs { BuildEngine = engine, File = inputs, SnapshotDirectory = _root, ResignSnapshots = true };
        Assert.True(resign.Execute());

        var now = File.ReadAllText(inputs);
        Assert.EndsWith("snapshot-signature=" + SnapshotSignature.Sign(_root) + "\n", now, StringComparison.Ordinal);
        Assert.NotEqual(started, now);
        Assert.Equal(started[..started.LastIndexOf("snapshot-signature=", StringComparison.Ordinal)], now[..now.LastIndexOf("snapshot-signature=", StringComparison.Ordinal)]);
        Assert.Contains("snapshot-signature=planted\n", now, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inputs_file_gone_before_the_gate_runs_is_an_error_not_a_stamp()
    {
        var engine = new Engine();
        var resign = new WriteConfigAsCodeInputs { BuildEngine = engine, File = Path.Combine(_root, "obj", "configascode.inputs"), SnapshotDirectory = _root, ResignSnapshots = true };

        Assert.False(resign.Execute());

        Assert.Equal(["CAC9011"], engine.Errors);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_output_folders_marker_is_signed_by_content_never_through_a_link_nor_from_a_pipe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // The marker decides a ConfigAsCodeTakeOwnershipFrom build's verdict, and lives under obj/, where a restored cache
        // can plant a link (to /dev/zero) or a pipe: either would keep the task reading or waiting forever.
        var obj = _root + "-obj";
        Directory.CreateDirectory(obj);
        var marker = Path.Combine(obj, ".configascode-output");
        string Inputs()
        {
            var task = new WriteConfigAsCodeInputs
            {
                BuildEngine = new Engine(), File = Path.Combine(obj, "configascode.inputs"), SnapshotDirectory = _root,
                ContentFiles = [new Microsoft.Build.Utilities.TaskItem(marker, new Dictionary<string, string> { ["NoFollow"] = "true" })],
            };
            Assert.True(task.Execute());
            return System.Linq.Enumerable.Single(File.ReadAllLines(Path.Combine(obj, "configascode.inputs")), l => l.StartsWith("content ", StringComparison.Ordinal));
        }

        File.WriteAllText(marker, "project-folder=..\nassembly=OldName\n");
        var old = Inputs();
        File.WriteAllText(marker, "project-folder=..\nassembly=NewName\n");
        Assert.NotEqual(old, Inputs());

        File.Delete(marker);
        File.CreateSymbolicLink(marker, "/dev/zero");
        var link = System.Threading.Tasks.Task.Run(Inputs);
        Assert.Same(link, await System.Threading.Tasks.Task.WhenAny(link, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.EndsWith("=link", await link, StringComparison.Ordinal);

        File.Delete(marker);
        Assert.Equal(0, MakePipe(marker, 420));
        var pipe = System.Threading.Tasks.Task.Run(Inputs);
        Assert.Same(pipe, await System.Threading.Tasks.Task.WhenAny(pipe, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.EndsWith("=special", await pipe, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_price_file_that_is_a_link_to_a_pipe_is_never_opened()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // The host refuses a price file, baseline, base report or analyzer config that is a pipe through a link
        // (UserFile), but the inputs task hashes the same files first: it checked the link itself, not what it points
        // at, and waited for a writer forever. The second link is relative through a linked folder: '..' is where the
        // kernel says, not where the path as spelled says.
        var outside = _root + "-real";
        Directory.CreateDirectory(Path.Combine(outside, "a", "b"));
        var pipePath = Path.Combine(outside, "a", "prices.pipe");
        Assert.Equal(0, MakePipe(pipePath, 420));
        var config = _root + "-config";
        Directory.CreateDirectory(config);
        File.CreateSymbolicLink(Path.Combine(config, "prices.json"), pipePath);
        Directory.CreateSymbolicLink(Path.Combine(config, "linked"), Path.Combine(outside, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(outside, "a", "b", "prices.json"), "../prices.pipe");
        try
        {
            foreach (var price in new[] { Path.Combine(config, "prices.json"), Path.Combine(config, "linked", "prices.json") })
            {
                var run = System.Threading.Tasks.Task.Run(() =>
                {
                    var task = new WriteConfigAsCodeInputs
                    {
                        BuildEngine = new Engine(), File = Path.Combine(config, "configascode.inputs"), SnapshotDirectory = _root,
                        ContentFiles = [new Microsoft.Build.Utilities.TaskItem(price)],
                    };
                    Assert.True(task.Execute());
                    var line = System.Linq.Enumerable.Single(File.ReadAllLines(Path.Combine(config, "configascode.inputs")), l => l.StartsWith("content ", StringComparison.Ordinal));
                    try
                    {
                        ConfigAsCode.Synthesis.Gate.UserFile.ReadAllBytes(price);
                        return (line, "read");
                    }
                    catch (IOException)
                    {
                        return (line, "refused");
                    }
                });
                var finished = await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(10)));
                for (var release = 0; release < 2 && !run.IsCompleted; release++)
                {
                    // Let a waiting reader go (a writer opens and closes the pipe: end of file); the test fails below.
                    using (new FileStream(pipePath, FileMode.Open, FileAccess.Write))
                    {
                    }

                    await System.Threading.Tasks.Task.WhenAny(run, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(2)));
                }

                Assert.Same(run, finished);
                var (inputs, user) = await run;
                Assert.EndsWith("=special", inputs, StringComparison.Ordinal);
                Assert.Equal("refused", user);
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakePipe(string path, int mode);

    /// <summary>Runs the inputs task as _ConfigAsCodePrepare does, into a folder beside the snapshots; what it wrote.</summary>
    private (bool SignedEarly, string Inputs) Prepare(IBuildEngine engine, string folder, string ticket)
    {
        var inputs = Path.Combine(_root + "-obj", "configascode.inputs");
        var prepare = new WriteConfigAsCodeInputs
        {
            BuildEngine = engine, File = inputs, SnapshotDirectory = folder, SignatureTicket = ticket,
            Properties = [new Microsoft.Build.Utilities.TaskItem("no-warn=x")],
        };
        Assert.True(prepare.Execute());
        return (prepare.SignedEarly, File.ReadAllText(inputs));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>A build engine without registered task objects (IBuildEngine only).</summary>
    private class PlainEngine : IBuildEngine
    {
        public List<string> Errors { get; } = [];

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => string.Empty;

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e.Code);

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogWarningEvent(BuildWarningEventArgs e)
        {
        }
    }

    /// <summary>A build engine that holds registered task objects as MSBuild's does for one build.</summary>
    private sealed class Engine : PlainEngine, IBuildEngine4
    {
        public Dictionary<object, object> Registered { get; } = [];

        public bool Refuses { get; init; }

        public bool IsRunningMultipleNodes => false;

        public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection)
        {
            if (Refuses)
            {
                throw new NotImplementedException();
            }

            Assert.Equal(RegisteredTaskObjectLifetime.Build, lifetime);
            Registered[key] = obj;
        }

        public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => Registered.GetValueOrDefault(key);

        public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => Registered.Remove(key, out var value) ? value : null;

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => false;

        public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => false;

        public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => default;

        public void Yield()
        {
        }

        public void Reacquire()
        {
        }
    }
}
