using System;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class ManifestFileWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-writer-" + Guid.NewGuid().ToString("N"));

    /// <summary>Runs <paramref name="test"/> with a folder outside the tree (what planted links point to), then deletes it.</summary>
    private static void WithOutsideFolder(Action<string> test)
    {
        var outside = Path.Combine(Path.GetTempPath(), "cac-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            test(outside);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Unchanged_files_are_not_rewritten_and_changed_ones_are_replaced()
    {
        RenderedFile[] files = [new("prod/a/x.yaml", "a: 1\n"), new("prod/a/y.yaml", "b: 2\n")];
        var first = ManifestFileWriter.Write(_root, files, deleteOthers: false)!;
        var path = Path.Combine(_root, "prod", "a", "x.yaml");
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        var second = ManifestFileWriter.Write(_root, [files[0], new RenderedFile("prod/a/y.yaml", "b: 3\n")], deleteOthers: false)!;

        Assert.Equal(2, first.Written.Count);
        Assert.Equal(["prod/a/x.yaml"], second.Unchanged);
        Assert.Equal(["prod/a/y.yaml"], second.Written);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Equal("b: 3\n", File.ReadAllText(Path.Combine(_root, "prod", "a", "y.yaml")));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Files_are_utf8_without_bom()
    {
        ManifestFileWriter.Write(_root, [new("x.yaml", "name: ünï\n")], deleteOthers: false);

        var bytes = File.ReadAllBytes(Path.Combine(_root, "x.yaml"));
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal("name: ünï\n", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Owned_folders_lose_files_that_are_no_longer_rendered()
    {
        ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n"), new("prod/b/y.yaml", "b: 2\n")], deleteOthers: true);

        var summary = ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true)!;

        Assert.Equal(["prod/b/y.yaml"], summary.Deleted);
        Assert.False(Directory.Exists(Path.Combine(_root, "prod", "b")));
    }

    [Fact]
    public void A_folder_with_files_the_tool_did_not_write_is_never_emptied()
    {
        Directory.CreateDirectory(_root);
        var sentinel = Path.Combine(_root, "notes.txt");
        File.WriteAllText(sentinel, "mine");

        var summary = ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true);

        Assert.Null(summary);
        Assert.Equal("mine", File.ReadAllText(sentinel));
        Assert.False(File.Exists(Path.Combine(_root, "prod", "a", "x.yaml")));
    }

    [Fact]
    public void Links_in_an_owned_folder_are_removed_not_followed()
    {
        WithOutsideFolder(outside =>
        {
            File.WriteAllText(Path.Combine(outside, "keep.yaml"), "keep: 1\n");
            ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true);
            Directory.CreateSymbolicLink(Path.Combine(_root, "prod", "b"), outside);

            ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n"), new("prod/b/keep.yaml", "overwritten: 1\n")], deleteOthers: true);

            Assert.Equal("keep: 1\n", File.ReadAllText(Path.Combine(outside, "keep.yaml")));
            Assert.False(new DirectoryInfo(Path.Combine(_root, "prod", "b")).LinkTarget is not null);
            Assert.Equal("overwritten: 1\n", File.ReadAllText(Path.Combine(_root, "prod", "b", "keep.yaml")));
        });
    }

    [Fact]
    public void Links_at_the_marker_and_at_expected_files_are_replaced_and_their_targets_keep_their_bytes()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        WithOutsideFolder(outside =>
        {
        ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true);
        var marker = Path.Combine(_root, ManifestFileWriter.OutputMarker);
        var expected = Path.Combine(_root, "prod", "a", "x.yaml");
        File.WriteAllText(Path.Combine(outside, "marker"), "keep");
        File.WriteAllText(Path.Combine(outside, "x.yaml"), "a: 1\n"); // the very bytes the write would leave
        File.Delete(marker);
        File.CreateSymbolicLink(marker, Path.Combine(outside, "marker"));
        File.Delete(expected);
        File.CreateSymbolicLink(expected, Path.Combine(outside, "x.yaml"));

        var summary = ManifestFileWriter.Write(_root, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true)!;

        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "marker")));
        Assert.False(ManifestFileWriter.IsLink(marker));
        Assert.True(File.Exists(marker));
        Assert.False(ManifestFileWriter.IsLink(expected));
        Assert.Equal("a: 1\n", File.ReadAllText(expected));
        Assert.Equal(["prod/a/x.yaml"], summary.Written);
        Assert.Empty(summary.Deleted);

        // A dangling link at the marker of a folder marked before is replaced, not followed to create its target.
        File.Delete(marker);
        File.CreateSymbolicLink(marker, Path.Combine(outside, "created-through-the-marker"));
        ManifestFileWriter.MarkOutputFolder(_root);
        Assert.False(File.Exists(Path.Combine(outside, "created-through-the-marker")));
        Assert.False(ManifestFileWriter.IsLink(marker));
        });
    }

    [Fact]
    public void A_link_at_the_fresh_tree_itself_is_unlinked_and_the_folder_it_points_to_is_not_emptied()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // creating symbolic links needs a privilege there
        }

        // The fresh tree sits in a marked output folder, so the ownership check passes on its parent's marker; a link
        // planted at its own path (a clone can carry one under obj/) must not make the folder it points to "ours".
        WithOutsideFolder(outside =>
        {
        ManifestFileWriter.MarkOutputFolder(_root);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "keep");
        var fresh = Path.Combine(_root, "deploy");
        Directory.CreateSymbolicLink(fresh, outside);

        var summary = ManifestFileWriter.Write(fresh, [new("prod/a/x.yaml", "a: 1\n")], deleteOthers: true)!;

        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "keep.txt")));
        Assert.False(ManifestFileWriter.IsLink(fresh));
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(fresh, "prod", "a", "x.yaml")));
        Assert.Empty(summary.Deleted);

        // Without deleteOthers nothing is cleared first: a link at an expected file is still replaced, not read or
        // written through.
        // Its target holds the very bytes the write would leave, so only the link check replaces it.
        var expected = Path.Combine(fresh, "prod", "a", "x.yaml");
        File.WriteAllText(Path.Combine(outside, "same.yaml"), "a: 2\n");
        File.Delete(expected);
        File.CreateSymbolicLink(expected, Path.Combine(outside, "same.yaml"));
        var second = ManifestFileWriter.Write(fresh, [new("prod/a/x.yaml", "a: 2\n")], deleteOthers: false)!;
        Assert.False(ManifestFileWriter.IsLink(expected));
        Assert.Equal("a: 2\n", File.ReadAllText(expected));
        Assert.Equal(["prod/a/x.yaml"], second.Written);
        });
    }

    [Theory]
    [InlineData("../escape.yaml")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b.yaml")]
    public void Paths_outside_the_folder_are_refused(string path)
    {
        Assert.Throws<ArgumentException>(() => ManifestFileWriter.Write(_root, [new(path, "x\n")], deleteOthers: false));
    }

    [Fact]
    public void Writing_the_rendered_platform_twice_changes_nothing_the_second_time()
    {
        var files = ManifestRenderer.Render(RepresentativePlatform.Deployments()).Files;

        ManifestFileWriter.Write(_root, files, deleteOthers: true);
        var second = ManifestFileWriter.Write(_root, files, deleteOthers: true)!;

        Assert.Empty(second.Written);
        Assert.Empty(second.Deleted);
        Assert.Equal(files.Count, second.Unchanged.Count);
        Assert.Equal(files.Count + 1, Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length); // and the marker
        Assert.True(File.Exists(Path.Combine(_root, ManifestFileWriter.OutputMarker)));
    }
}
