using System;
using System.IO;
using System.Linq;
using System.Threading;
using ConfigAsCode.Build;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The snapshot folder's signature, which decides whether a build runs the gate again. On Linux it is taken from each
/// file's status (with the change time, which no program can set back), elsewhere from each file's content: either
/// way every change the gate would see must change it, and nothing else may.
/// </summary>
public sealed class SnapshotSignatureTests : IDisposable
{
    // Later than every file these tests write: nothing is in the racy window, so the status alone signs each file.
    private static readonly DateTime Later = DateTime.UtcNow.AddHours(1);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-signature-" + Guid.NewGuid().ToString("N"));

    public SnapshotSignatureTests()
    {
        Write(".configascode/provenance.json", "{\"files\": [{\"path\": \"prod/chat/deployment-chat.yaml\"}, {\"path\": \"prod/chat/service-chat.yaml\"}]}\n");
        Write(".configascode/cost.json", "{}\n");
        Write("prod/chat/deployment-chat.yaml", "kind: Deployment\nreplicas: 2\n");
        Write("prod/chat/service-chat.yaml", "kind: Service\nport: 8000\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<bool> Methods => new() { false, true };

    [Theory]
    [MemberData(nameof(Methods))]
    public void An_unchanged_folder_signs_the_same(bool byContent)
    {
        Assert.Equal(SnapshotSignature.Sign(_root, () => Later, byContent), SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Fact]
    public void On_Linux_files_are_signed_by_their_status_and_elsewhere_by_their_content()
    {
        var method = SnapshotSignature.Sign(_root, () => Later).Split(':')[1];

        Assert.Equal(OperatingSystem.IsLinux() ? "status" : "content", method);
        Assert.Equal("content", SnapshotSignature.Sign(_root, () => Later, byContent: true).Split(':')[1]);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void An_edit_that_keeps_the_size_and_the_modification_date_is_seen(bool byContent)
    {
        // A whole second: .NET sets dates in 100 ns steps, so a date read back and set again would differ in its last
        // digits and give the edit away; this one is put back exactly.
        var file = Path.Combine(_root, "prod", "chat", "service-chat.yaml");
        var modified = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, modified);
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);

        // The change time moves on the kernel's clock tick (a few milliseconds): the edit comes a tick later, as any
        // edit after a build does.
        Thread.Sleep(50);
        File.WriteAllText(file, "kind: Service\nport: 8001\n");
        File.SetLastWriteTimeUtc(file, modified);

        Assert.Equal(modified, File.GetLastWriteTimeUtc(file));
        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Removing_an_owned_file_or_the_index_is_seen(bool byContent)
    {
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        File.Delete(Path.Combine(_root, "prod", "chat", "deployment-chat.yaml"));
        var removed = SnapshotSignature.Sign(_root, () => Later, byContent);
        File.Delete(Path.Combine(_root, ".configascode", "provenance.json"));

        Assert.NotEqual(before, removed);
        Assert.NotEqual(removed, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_content_of_a_file_the_gate_does_not_own_is_not_signed(bool byContent)
    {
        Write("prod/chat/README.md", "notes\n");
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        File.WriteAllText(Path.Combine(_root, "prod", "chat", "README.md"), "other notes\n");

        Assert.Equal(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_file_added_beside_the_owned_ones_is_seen(bool byContent)
    {
        // A full run reads every name in the folder (a manifest of someone else's is named in its summary, a leftover
        // of an interrupted write is removed): a no-op build must not skip the gate after one was added.
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        Write("prod/chat/hand-written.yaml", "kind: ConfigMap\n");

        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_link_added_where_the_gate_owns_nothing_is_seen(bool byContent)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // A full run refuses a link anywhere in the snapshot folder (CAC9011); a no-op build that signed the owned
        // files alone said "up to date: no drift" and passed.
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        File.CreateSymbolicLink(Path.Combine(_root, "prod", "chat", "notes.yaml"), "/etc/hostname");
        var linked = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        Directory.CreateDirectory(Path.Combine(_root, "prod", "extra", "deep"));
        var folders = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        Directory.CreateSymbolicLink(Path.Combine(_root, ".configascode", "elsewhere"), "/etc");

        Assert.NotEqual(before, linked);
        Assert.NotEqual(linked, folders);
        Assert.NotEqual(folders, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_link_added_inside_a_folder_of_someone_elses_is_seen(bool byContent)
    {
        if (OperatingSystem.IsWindows() || (!byContent && FileSystemType(_root) is "btrfs" or "overlay"))
        {
            return; // links need a privilege on Windows; btrfs and overlayfs count no folders in a folder's links
        }

        // A folder of the user's own beside the snapshots, there at the last pass: a link added inside it moves only
        // its own change time, and it is on the way to no owned file.
        Write("prod/kustomize/base/README.md", "notes\n");
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        File.CreateSymbolicLink(Path.Combine(_root, "prod", "kustomize", "base", "patch.yaml"), "/etc/hostname");

        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_pipe_added_where_the_gate_owns_nothing_is_seen(bool byContent)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here
        }

        // A full run refuses a pipe, socket or device anywhere in the snapshot folder (CAC9011).
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        Assert.Equal(0, MakePipe(Path.Combine(_root, "prod", "chat", "pipe.yaml"), 420));

        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_file_of_someone_elses_replaced_by_a_pipe_of_the_same_name_is_seen(bool byContent)
    {
        if (!OperatingSystem.IsLinux() || (!byContent && FileSystemType(_root) is "btrfs" or "overlay"))
        {
            return; // pipes are made with mkfifo here; btrfs and overlayfs count no folders in a folder's links
        }

        // A full run refuses a pipe anywhere in the snapshot folder (CAC9011). In a folder whose names alone are signed
        // (one of someone else's, or every folder where statuses are not trusted), a file and a pipe of the same name
        // were both signed as a file, so the no-op build stayed "up to date".
        Write("prod/kustomize/base/README.md", "notes\n");
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Thread.Sleep(50);
        var file = Path.Combine(_root, "prod", "kustomize", "base", "README.md");
        File.Delete(file);
        Assert.Equal(0, MakePipe(file, 420));

        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_snapshot_folder_reached_through_a_link_is_seen(bool byContent)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // The host refuses a snapshot folder with a link on its way (CAC9011). Moved and linked back, the folder's
        // files keep their inodes and change times, so a signature of them alone stayed the same and the no-op
        // build skipped the gate.
        var outer = _root + "-outer";
        var real = _root + "-real";
        var folder = Path.Combine(outer, "deploy");
        Directory.CreateDirectory(outer);
        Directory.Move(_root, folder);
        try
        {
            var before = SnapshotSignature.Sign(folder, () => Later, byContent);
            Directory.Move(outer, real);
            Directory.CreateSymbolicLink(outer, real);
            var parentLinked = SnapshotSignature.Sign(folder, () => Later, byContent);
            File.Delete(outer);
            Directory.Move(real, outer);
            Assert.Equal(before, SnapshotSignature.Sign(folder, () => Later, byContent));

            Directory.Move(folder, Path.Combine(outer, "real"));
            Directory.CreateSymbolicLink(folder, "real");
            var linked = SnapshotSignature.Sign(folder, () => Later, byContent);
            File.Delete(folder);
            Directory.Move(Path.Combine(outer, "real"), folder);

            Assert.NotEqual(before, parentLinked);
            Assert.NotEqual(before, linked);
        }
        finally
        {
            if (File.Exists(outer) || (Directory.Exists(outer) && new DirectoryInfo(outer).LinkTarget is not null))
            {
                File.Delete(outer);
            }

            if (Directory.Exists(real))
            {
                Directory.Move(real, outer);
            }

            if (Directory.Exists(Path.Combine(outer, "real")))
            {
                if (new DirectoryInfo(folder).LinkTarget is not null)
                {
                    File.Delete(folder);
                }

                Directory.Move(Path.Combine(outer, "real"), folder);
            }

            Directory.Move(folder, _root);
            Directory.Delete(outer);
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_link_is_signed_as_a_link_and_never_followed(bool byContent)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        var outside = Path.Combine(_root, "..", Path.GetFileName(_root) + "-outside.yaml");
        File.WriteAllText(outside, "kind: Service\nport: 8000\n");
        try
        {
            var before = SnapshotSignature.Sign(_root, () => Later, byContent);
            var owned = Path.Combine(_root, "prod", "chat", "service-chat.yaml");
            File.Delete(owned);
            File.CreateSymbolicLink(owned, outside);
            var linked = SnapshotSignature.Sign(_root, () => Later, byContent);
            Thread.Sleep(50);
            File.WriteAllText(outside, "kind: Service\nport: 9999\n");

            Assert.NotEqual(before, linked);
            Assert.Equal(linked, SnapshotSignature.Sign(_root, () => Later, byContent));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void A_file_changed_within_a_clock_tick_of_the_signing_is_signed_again_once_the_tick_has_passed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere every file is signed by its content
        }

        // Two edits within one tick of the file system's clock leave the same change time (git's "racily clean" files):
        // a signature taken within that tick could miss the second. Signed when the file has just changed, the folder
        // is signed again after the tick, and the result is the one a later build gets: no extra run of the gate.
        var file = Path.Combine(_root, "prod", "chat", "service-chat.yaml");
        var changed = File.GetLastWriteTimeUtc(file);
        var calls = 0;
        var (signature, attempts) = SnapshotSignature.Signed(_root, () => calls++ == 0 ? changed : Later);

        Assert.Equal(2, attempts);
        Assert.Equal(SnapshotSignature.Sign(_root, () => Later), signature);
        Assert.Equal(SnapshotSignature.Sign(_root), signature);

        // A folder that keeps changing (the clock never gets past its files) is signed by its content.
        var (busy, tries) = SnapshotSignature.Signed(_root, () => changed);
        Assert.Equal(4, tries);
        Assert.Equal(SnapshotSignature.Sign(_root, () => Later, byContent: true), busy);
    }

    [Fact]
    public void A_folder_changed_within_a_clock_tick_of_the_signing_is_signed_again_once_the_tick_has_passed()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere the names are listed
        }

        // A link added in the same tick as the signing read its folder would leave the folder's change time as signed:
        // a folder that has just changed makes the signing wait a tick and sign again, as a file does.
        Thread.Sleep(50);
        Write("prod/chat/notes.md", "notes\n");
        var changed = File.GetLastWriteTimeUtc(Path.Combine(_root, "prod", "chat", "notes.md"));
        var calls = 0;
        var (signature, attempts) = SnapshotSignature.Signed(_root, () => calls++ == 0 ? changed : Later);

        Assert.Equal(2, attempts);
        Assert.Equal(SnapshotSignature.Sign(_root, () => Later), signature);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Reading_the_files_leaves_the_signature_as_it_was(bool byContent)
    {
        // Reading moves a file's access time (under relatime, the default, when it is older than the last change); the
        // status signature must leave it out, or every build that read the snapshots would run the gate again.
        var file = Path.Combine(_root, "prod", "chat", "deployment-chat.yaml");
        var old = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastAccessTimeUtc(file, old);
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        foreach (var path in Directory.GetFiles(_root, "*", SearchOption.AllDirectories))
        {
            _ = File.ReadAllBytes(path);
        }

        Assert.Equal(before, SnapshotSignature.Sign(_root, () => Later, byContent));
        if (OperatingSystem.IsLinux() && !MountedWithoutAccessTimes(_root))
        {
            Assert.NotEqual(old, File.GetLastAccessTimeUtc(file)); // the access time did move: the equality above proves something
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_index_is_read_as_JSON_text_with_any_white_space_and_paths_in_UTF_8(bool byContent)
    {
        // The paths are found in the index's bytes: white space JSON allows around the colon, and a path that is not
        // ASCII; an escape outside keys and paths (a platform name the writer escaped) changes nothing.
        Write(".configascode/provenance.json", "{\n\t\"platform\": \"Pl\\u00e4tform \\\"x\\\"\",\n\t\"files\": [\n\t\t{ \"path\"\r\n\t:\t\"prod/chät/deployment-chät.yaml\" }\n\t]\n}\n");
        Write("prod/chät/deployment-chät.yaml", "kind: Deployment\nreplicas: 2\n");
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Assert.StartsWith("4:", before, StringComparison.Ordinal); // the three state files and the one path
        Assert.Equal(before, SnapshotSignature.Sign(_root, () => Later, byContent));

        Thread.Sleep(50);
        Write("prod/chät/deployment-chät.yaml", "kind: Deployment\nreplicas: 3\n");
        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Colons_and_quoted_words_inside_other_strings_are_not_keys(bool byContent)
    {
        // Keys are found from the colon after them: a colon in a value, and "path" in quotes inside a value (escaped
        // there), name no file; the one real key does, with a colon and a key's quotes of its own around it.
        Write(".configascode/provenance.json", "{\"generator\": \"a:b\", \"note\": \"x \\\"path\\\": \\\"prod/chat/evil.yaml\\\"\", \"xpath\": \"prod/chat/evil.yaml\", \"kind\": \"path\", \"files\": [{\"path\":\"prod/chat/service-chat.yaml\", \"sha256\": \"00\"}]}");
        Write("prod/chat/evil.yaml", "kind: Secret\n");
        var before = SnapshotSignature.Sign(_root, () => Later, byContent);
        Assert.StartsWith("4:", before, StringComparison.Ordinal); // the three state files and service-chat.yaml
        Assert.Equal(before, SnapshotSignature.Sign(_root, () => Later, byContent));

        Thread.Sleep(50);
        Write("prod/chat/service-chat.yaml", "kind: Service\nport: 8081\n");
        Assert.NotEqual(before, SnapshotSignature.Sign(_root, () => Later, byContent));
    }

    [Fact]
    public void The_content_signature_of_a_known_folder_is_the_one_every_earlier_version_gave()
    {
        // Signed by content, the signature depends on the paths and bytes alone, not on where the folder is: this value
        // was computed with the task of commit 2530603, before the index's paths were kept as bytes. A change to the
        // records (or to which paths are read) changes it, and runs every user's gate once more.
        foreach (var file in Directory.GetFiles(_root, "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        Write(".configascode/provenance.json", "{\n  \"generator\": \"ConfigAsCode\",\n  \"files\": [\n    {\n      \"path\": \"dev/chat/service-chat.yaml\",\n      \"sha256\": \"00\"\n    },\n    {\n      \"path\": \"prod/chat/service-chat.yaml\",\n      \"sha256\": \"00\"\n    },\n    {\n      \"path\": \"prod/chät/deployment-chät.yaml\",\n      \"sha256\": \"00\"\n    },\n    {\n      \"path\": \"prod/chat/gone.yaml\",\n      \"sha256\": \"00\"\n    }\n  ]\n}\n");
        Write("dev/chat/service-chat.yaml", "kind: Service\nport: 8080\n");
        Write("prod/chat/service-chat.yaml", "kind: Service\nport: 8081\n");
        Write("prod/chät/deployment-chät.yaml", "kind: Deployment\nreplicas: 2\n");
        Write(".configascode/cost.json", "{}\n");

        // The names in the folder and which folder on its way is a link follow as a digest of their own (a machine
        // whose temporary folder is reached through a link gives another): the owned files' part is unchanged.
        var signature = SnapshotSignature.Sign(_root, () => Later, byContent: true);
        Assert.StartsWith("7:content:f82d0d0200ae61f581672f3be7dc0f71a253f4a29cd59251aa303750ccb866c1:", signature, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", signature.Split(':')[3]);
    }

    [Fact]
    public void A_key_that_overlaps_the_path_before_it_is_not_read()
    {
        // Damaged JSON the host refuses (CAC9011): read as before, one path, not a second one made of the first's
        // closing quote.
        Write(".configascode/provenance.json", "{\"files\": [{\"path\": \"prod/chat/service-chat.yaml\"path\": \"prod/chat/evil.yaml\"}]}");
        Write("prod/chat/evil.yaml", "kind: Secret\n");

        Assert.StartsWith("4:", SnapshotSignature.Sign(_root, () => Later), StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_whose_path_is_not_UTF_8_runs_the_gate_on_every_build()
    {
        // The host's JSON reader refuses such an index (CAC9011); read here as replacement characters, it would name
        // another file than the bytes do.
        var index = Path.Combine(_root, ".configascode", "provenance.json");
        File.WriteAllBytes(index, [.. "{\"files\": [{\"path\": \"prod/chat/x"u8, 0xFF, .. ".yaml\"}]}"u8]);

        Assert.NotEqual(SnapshotSignature.Sign(_root, () => Later), SnapshotSignature.Sign(_root, () => Later));
    }

    public static TheoryData<string> IndexesReadInexactly => new()
    {
        "{\"files\": [{\"path\": \"prod/chat/a:b.yaml\"}]}",                  // a colon: never a path the gate writes
        "{\"files\": [{\"path\": \"prod/chat/a\tb.yaml\"}]}",                 // a control character (JSON refuses it unescaped)
        "{\"files\": [{\"path\": \"prod/chat/service-chat\\u002eyaml\"}]}",   // an escaped path: the host reads prod/chat/service-chat.yaml
        "{\"files\": [{\"p\\u0061th\": \"prod/chat/service-chat.yaml\"}]}",   // an escaped key: "path" to the host
        "{\"files\": [{\"path\": \"prod/chat/../chat/service-chat.yaml\"}]}",   // a path the gate never writes
        "{\"files\": [{\"path\": \"/etc/hostname\"}]}",
        "{\"files\": [{\"path\": \"prod/chat/unterminated\\",                  // a string that never ends
    };

    [Theory]
    [MemberData(nameof(IndexesReadInexactly))]
    public void An_index_not_read_exactly_as_the_host_reads_it_runs_the_gate_on_every_build(string index)
    {
        // Some owned file might go unsigned and an edit to it unseen: no signature is trusted.
        Write(".configascode/provenance.json", index);

        Assert.NotEqual(SnapshotSignature.Sign(_root, () => Later), SnapshotSignature.Sign(_root, () => Later));
        Assert.NotEqual(SnapshotSignature.Sign(_root, () => Later, byContent: true), SnapshotSignature.Sign(_root, () => Later, byContent: true));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async System.Threading.Tasks.Task A_pipe_where_a_snapshot_or_the_index_is_owned_is_never_opened(bool byContent)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // pipes are made with mkfifo here; elsewhere the signature cannot tell one from a file
        }

        // Opening a pipe for reading waits for a writer: the build would hang. A guard, not a timing: a pass takes
        // milliseconds, a hang never ends.
        var owned = Path.Combine(_root, "prod", "chat", "service-chat.yaml");
        File.Delete(owned);
        Assert.Equal(0, MakePipe(owned, 420));
        var signing = System.Threading.Tasks.Task.Run(() => SnapshotSignature.Sign(_root, () => Later, byContent));
        Assert.Same(signing, await System.Threading.Tasks.Task.WhenAny(signing, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));

        var index = Path.Combine(_root, ".configascode", "provenance.json");
        File.Delete(index);
        Assert.Equal(0, MakePipe(index, 420));
        signing = System.Threading.Tasks.Task.Run(() => SnapshotSignature.Sign(_root, () => Later, byContent));
        Assert.Same(signing, await System.Threading.Tasks.Task.WhenAny(signing, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakePipe(string path, int mode);

    // The type of the file system holding the folder, from /proc/self/mounts (the longest mount point that contains it).
    private static string FileSystemType(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return string.Empty;
        }

        var best = (Point: string.Empty, Type: string.Empty);
        foreach (var line in File.ReadAllLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 3 && (folder.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal) || fields[1] == "/") && fields[1].Length >= best.Point.Length)
            {
                best = (fields[1], fields[2]);
            }
        }

        return best.Type;
    }

    // The mount holding the folder, from /proc/self/mounts (the longest mount point that contains it), says noatime.
    private static bool MountedWithoutAccessTimes(string folder)
    {
        var best = (Point: string.Empty, Options: string.Empty);
        foreach (var line in File.ReadAllLines("/proc/self/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 3 && (folder.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal) || fields[1] == "/") && fields[1].Length >= best.Point.Length)
            {
                best = (fields[1], fields[3]);
            }
        }

        return best.Options.Split(',').Contains("noatime");
    }

    [Fact]
    public void A_folder_that_does_not_exist_is_absent()
    {
        Assert.Equal("absent", SnapshotSignature.Sign(Path.Combine(_root, "nowhere")));
        Assert.Equal("absent", SnapshotSignature.Sign(null));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
