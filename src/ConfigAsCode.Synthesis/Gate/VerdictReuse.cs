using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>One line a passing run gave the build log, replayed when its verdict is reused.</summary>
public sealed record VerdictLine(string Kind, RuleSeverity Severity, string Code, string? File, int Line, string Message);

/// <summary>
/// The last passing verdict, reused by a build outside CI whose gate would conclude the same: a build after an edit
/// that changed no evaluated value and moved no declaration (a comment, a refactoring within the same lines) compiles a
/// new assembly, so the gate's target runs, but nothing it reads has changed. The key is a SHA-256 of every input: the
/// runtime and the host's own assemblies, every option it was given, the day rules are judged against, the inputs file
/// (the snapshot folder's signature taken just before the host ran, content hashes, the cost baseline's commit), the
/// price file, file baseline and base report as the host reads them, the content of every analyzer config file, the
/// names in the snapshot folder (<see cref="SnapshotListing"/>), and the <see cref="ModelFingerprint"/> of the
/// evaluation. The host (Program.cs) decides, in this order: refused, held, keyed, matched, restored.
/// <para>
/// Never in CI, when accepting, with <c>ConfigAsCodeWriteFullTree</c>, when user code printed anything (it is printed
/// redacted by the values the full run's scan registers), or when an output of the last run is missing, was changed
/// (each is checked by its size and SHA-256) or is a link. While the evaluation runs, the last run's outputs are held aside, so a run that
/// stops early leaves no report behind, as <see cref="Reports.RemoveStale"/> does.
/// </para>
/// </summary>
public static class VerdictReuse
{
    /// <summary>The record of the last passing run, in the output folder.</summary>
    public const string FileName = "verdict.json";

    /// <summary>Where the last run's outputs wait while the evaluation runs.</summary>
    public const string HeldFolder = "held";

    private const int Format = 2;

    /// <summary>Why this run may not reuse or record a verdict, or null when it may.</summary>
    public static string? Refusal(GateOptions options, bool enabled, string? inputsFile)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !enabled ? "ConfigAsCodeReuseVerdict is false"
            : options.CiReason is not null ? "a CI build never reuses a verdict"
            : options.Accept ? "accepting always runs in full"
            : options.WriteFullTree ? "ConfigAsCodeWriteFullTree writes every file"
            : string.IsNullOrEmpty(inputsFile) ? "the host was not given the gate's inputs file"
            : !File.Exists(inputsFile) ? "the gate's inputs file is missing"
            : null;
    }

    /// <summary>The key of a run: a SHA-256 over every input of the gate, each written with its length.</summary>
    public static string Key(string fingerprint, IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "configascode-verdict " + Format.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, fingerprint);
        foreach (var part in parts)
        {
            Append(hash, part);
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>A file's content as a key part: its path and its SHA-256, "absent", or "unreadable".</summary>
    public static string FilePart(string path)
    {
        try
        {
            return path + "=" + (File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "absent");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path + "=unreadable " + Guid.NewGuid().ToString("N");
        }
    }

    /// <summary>
    /// A SHA-256 of what is in the snapshot folder, as a key part: the path of every file and every link, listed as a
    /// full run lists them. The inputs file signs the content of the files the gate owns; a full run also reads the rest
    /// by name (a link anywhere is refused, a manifest of someone else's is named, leftovers are removed), so their
    /// names are part of the key. (A file of someone else's at a path the gate renders is read for its content: such a
    /// run is never recorded, see <see cref="GateOutcome.ReadForeignSnapshots"/>.)
    /// </summary>
    public static string SnapshotListing(string folder)
    {
        if (ManifestFileWriter.IsLink(folder) || !Directory.Exists(folder))
        {
            return "snapshots=" + (ManifestFileWriter.IsLink(folder) ? "link" : "absent");
        }

        (IReadOnlyList<string> Files, IReadOnlyList<string> Links) entries;
        try
        {
            entries = SnapshotFolder.ListEntries(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException)
        {
            // A folder that cannot be listed matches no record: the full run meets the same problem and reports it.
            return "snapshots=unlistable " + Guid.NewGuid().ToString("N");
        }

        return ListingOf(entries.Files, entries.Links);
    }

    /// <summary>
    /// The listing key part the last passing run recorded, when no folder of the snapshot folder has changed since
    /// (<see cref="FolderState"/>), or null: then the folder is listed (<see cref="SnapshotListing"/>). Checking the
    /// 10,008 folders of a 10,000-deployment fleet takes one <c>statx</c> each; listing its 73,401 files took ≈ 0.3 s.
    /// </summary>
    public static string? RecordedListing(string snapshotDirectory, Recorded record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // A record is a file in obj/: a folder path in it that is not one a listing gives (a null, a '..', an absolute
        // path) proves nothing and is never read.
        if (record is not { Listing: { } listing, Folders: { } folders, FolderState: { } state }
            || !folders.All(f => f is not null && IsRelativePath(f)))
        {
            return null;
        }

        var now = FolderState(SnapshotFolder.Normalize(snapshotDirectory), folders, listedAt: long.MaxValue);
        return string.Equals(now, state, StringComparison.Ordinal) ? listing : null;
    }

    /// <summary>
    /// The listing of the opened <paramref name="folder"/>, and what proves on the next run that its names are unchanged:
    /// a SHA-256 of the status of the folder and of every folder in it, each read without following a link. Creating,
    /// removing or renaming an entry (a file, a link, a folder) moves the change time of the folder that holds it, which
    /// no program can set back on a local file system (the trust the task's snapshot signature already places in files'
    /// change times; docs/threat-model.md). Null, so the next run lists the folder again, when it is not on a local
    /// Linux file system, when a folder's change time has no sub-second part, is on another device, or is within
    /// <see cref="FileStatus.Tick"/> of <see cref="SnapshotFolder.ListedAt"/> (changed while it was listed, or so close
    /// before that a second change in the same tick of the file system's clock would not show), or when the folder
    /// changed in any way since it was listed.
    /// </summary>
    public static ListingProof ProofOf(SnapshotFolder folder) => ProofOf(folder, folder?.ListedAt ?? 0);

    /// <summary><see cref="ProofOf(SnapshotFolder)"/> as if the folder had been listed at <paramref name="listedAt"/> (tests move it).</summary>
    internal static ListingProof ProofOf(SnapshotFolder folder, long listedAt)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var listing = ListingOf(folder.Exists ? folder.Files : null, []);

        // The statuses read right after the listing (SnapshotFolder.ListedState), and the same again now: a folder
        // changed since, even under a clock stepped back while the gate ran, has another status.
        var state = folder.Exists && folder.ListedState is not null ? FolderState(folder.Root, folder.Folders, listedAt) : null;
        state = string.Equals(state, folder.ListedState, StringComparison.Ordinal) ? state : null;
        return new ListingProof(listing, state is null ? null : folder.Folders.ToArray(), state);
    }

    // The SHA-256 of the recorded status fields of the root and of each folder below it, or null when a status cannot
    // prove anything (see ProofOf). With listedAt, a folder changed since that time (less one tick) proves nothing.
    internal static string? FolderState(string root, IReadOnlyList<string> folders, long listedAt)
    {
        try
        {
            if (FileStatus.LocalDevice(root) is not { } device)
            {
                return null;
            }

            var status = new byte[FileStatus.Size];
            var latest = listedAt == long.MaxValue ? long.MaxValue : listedAt - FileStatus.TickNanoseconds;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var relative in folders.Prepend(string.Empty))
            {
                var path = relative.Length == 0 ? root : SnapshotFolder.Full(root, relative);
                if (FileStatus.Read(Encoding.UTF8.GetBytes(path + "\0"), status) != FileStatus.Kind.Folder || !FileStatus.HasRecordedFields(status))
                {
                    return null;
                }

                var (changed, wholeSeconds, onDevice) = FileStatus.Describe(status);
                if (wholeSeconds || onDevice != device || changed >= latest)
                {
                    return null;
                }

                Append(hash, relative);
                hash.AppendData(FileStatus.Recorded(status));
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>The listing key part of these files and links (null files: the folder does not exist).</summary>
    public static string ListingOf(IReadOnlyList<string>? files, IReadOnlyList<string> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (files is null)
        {
            return "snapshots=absent";
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            Append(hash, "f " + file);
        }

        foreach (var link in links)
        {
            Append(hash, "l " + link);
        }

        return "snapshots=" + Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>
    /// Moves the last run's reports, outputs and record into <see cref="HeldFolder"/>, and returns the record, or null
    /// (when there is none, it cannot be read, an output cannot be moved, or the folder is not the gate's; then the
    /// outputs are removed instead, as <see cref="Reports.RemoveStale"/> does). A link where an output belongs is
    /// removed, never moved or followed.
    /// </summary>
    public static Recorded? Hold(GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = options.OutputDirectory;
        if (!SnapshotFolder.IsOwnOutputFolder(options))
        {
            return null;
        }

        var held = Path.Combine(output, HeldFolder);
        var record = Path.Combine(output, FileName);
        Recorded? read = null;
        try
        {
            Remove(held);
            if (File.Exists(record) && !ManifestFileWriter.IsLink(record))
            {
                read = JsonSerializer.Deserialize(File.ReadAllBytes(record), VerdictJson.Default.Recorded);
            }

            if (read is not { Version: Format, Key: not null, Lines: not null, Files: not null } || !IsWellFormed(read))
            {
                Reports.RemoveStale(options);
                return null;
            }

            Directory.CreateDirectory(held);
            foreach (var name in Reports.Names.Append(GateRunner.FreshFolder))
            {
                var path = Path.Combine(output, name);
                if (ManifestFileWriter.IsLink(path))
                {
                    ManifestFileWriter.RemoveLink(path);
                }
                else if (File.Exists(path))
                {
                    File.Move(path, Path.Combine(held, name));
                }
                else if (Directory.Exists(path))
                {
                    Directory.Move(path, Path.Combine(held, name));
                }
            }

            return read;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Not reusable (a record that cannot be read, a folder another process holds open): the last run's outputs
            // go, wherever they are, as they always did.
            Reports.RemoveStale(options);
            return null;
        }
    }

    /// <summary>
    /// True when every output the record lists is in the held folder as a regular file with the recorded size and
    /// SHA-256 (an empty one is only checked to be a file: it is written again, never opened), and nothing else is there.
    /// </summary>
    public static bool HeldOutputsMatch(GateOptions options, Recorded record)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(record);
        var held = Path.Combine(options.OutputDirectory, HeldFolder);
        if (!IsWellFormed(record) || ManifestFileWriter.IsLink(held))
        {
            return false;
        }

        try
        {
            var present = Entries(held).Select(e => e.Path).Where(p => p != FileName).Order(StringComparer.Ordinal).ToArray();
            if (!present.SequenceEqual(record.Files.Select(f => f.Path).Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                return false;
            }

            foreach (var file in record.Files)
            {
                var path = Path.Combine(held, file.Path);
                if (ManifestFileWriter.IsLink(path) || new FileInfo(path).Length != file.Size || (file.Size > 0 && !string.Equals(Hash(path), file.Sha256, StringComparison.Ordinal)))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves the held outputs back where the last run wrote them; an empty one is written again (whatever is held there,
    /// a pipe even, is never opened).
    /// </summary>
    public static void Restore(GateOptions options, Recorded record)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(record);
        var output = options.OutputDirectory;
        var held = Path.Combine(output, HeldFolder);
        if (!IsWellFormed(record) || ManifestFileWriter.IsLink(held))
        {
            throw new IOException($"'{held}' is not the held outputs a reuse may put back.");
        }

        foreach (var empty in record.Files.Where(f => f.Size == 0))
        {
            // Checked again just before the write: a folder on the way replaced by a link since the outputs were
            // matched (another process) must not take the write out of the output folder.
            var segments = empty.Path.Split('/');
            for (var i = 1; i < segments.Length; i++)
            {
                if (ManifestFileWriter.IsLink(Path.Combine(held, string.Join('/', segments.Take(i)))))
                {
                    throw new IOException($"a folder on the way to '{empty.Path}' in '{held}' became a link.");
                }
            }

            var path = Path.Combine(held, empty.Path);
            File.Delete(path);
            ManifestFileWriter.WriteAtomically(path, []);
        }

        foreach (var name in Reports.Names.Append(GateRunner.FreshFolder))
        {
            var path = Path.Combine(held, name);
            if (File.Exists(path))
            {
                File.Move(path, Path.Combine(output, name));
            }
            else if (Directory.Exists(path))
            {
                Directory.Move(path, Path.Combine(output, name));
            }
        }

        Remove(held);
    }

    /// <summary>Removes the held outputs (a run that does not reuse them writes its own).</summary>
    public static void RemoveHeld(string outputDirectory) => Remove(Path.Combine(outputDirectory, HeldFolder));

    /// <summary>
    /// Records a passing run: its key, the lines it gave the build log (redacted), and the SHA-256 of every output it
    /// left in the output folder. Nothing is recorded where a folder stands at the record's path.
    /// </summary>
    public static void Record(GateOptions options, string key, IReadOnlyList<VerdictLine> lines, ListingProof? proof = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lines);
        var output = options.OutputDirectory;
        var target = Path.Combine(output, FileName);
        if (Directory.Exists(target) && !ManifestFileWriter.IsLink(target))
        {
            return;
        }

        var files = new List<RecordedFile>();
        foreach (var name in Reports.Names.Where(n => n != FileName))
        {
            var path = Path.Combine(output, name);
            if (File.Exists(path))
            {
                files.Add(new RecordedFile(name, new FileInfo(path).Length, Hash(path)));
            }
        }

        var fresh = Path.Combine(output, GateRunner.FreshFolder);
        if (Directory.Exists(fresh) && !ManifestFileWriter.IsLink(fresh))
        {
            foreach (var (relative, link) in Entries(fresh).OrderBy(e => e.Path, StringComparer.Ordinal))
            {
                if (link)
                {
                    return;
                }

                var path = Path.Combine(fresh, relative);
                files.Add(new RecordedFile(GateRunner.FreshFolder + "/" + relative, new FileInfo(path).Length, Hash(path)));
            }
        }

        var redacted = lines.Select(l => l with { Message = options.Redactor.Redact(l.Message), File = l.File is null ? null : options.Redactor.Redact(l.File) }).ToArray();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Recorded(Format, key, redacted, files.ToArray(), proof?.Listing, proof?.Folders, proof?.FolderState), VerdictJson.Default.Recorded);
        ManifestFileWriter.WriteAtomically(target, bytes);
    }

    // A record is a file in obj/, which anything running as the user can edit: one with a missing element, a line of
    // another kind or severity, a code or file with a line break (replayed, it would write protocol lines of its own),
    // or an output path that could leave the output folder (rooted, a backslash, an empty, '.' or '..' segment) is no
    // record.
    private static bool IsWellFormed(Recorded record) =>
        record.Lines.All(l => l is { Kind: "summary" or "diagnostic", Code: { } code, Message: not null } && Enum.IsDefined(l.Severity)
            && !code.Any(char.IsControl) && (l.File is null || !l.File.Any(char.IsControl)))
        && record.Files.All(f => f is { Path: { } path, Sha256: not null, Size: >= 0 } && IsRelativePath(path));

    // A path a record may name inside a folder of the gate's ('/'-separated): not rooted, no backslash or control
    // character, no empty, '.' or '..' segment.
    private static bool IsRelativePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains('\\', StringComparison.Ordinal)
        && path.Split('/').All(segment => segment.Length > 0 && segment is not ("." or "..") && !segment.Any(char.IsControl));

    // Every file and link under a folder of outputs (relative, '/'-separated; on Unix a backslash is a character of a
    // name, never a separator); a link is listed, never entered.
    private static List<(string Path, bool Link)> Entries(string root) =>
        new System.IO.Enumeration.FileSystemEnumerable<(string, bool)>(
            root,
            (ref System.IO.Enumeration.FileSystemEntry e) => (Path.DirectorySeparatorChar == '\\' ? Path.GetRelativePath(root, e.ToFullPath()).Replace('\\', '/') : Path.GetRelativePath(root, e.ToFullPath()), (e.Attributes & FileAttributes.ReparsePoint) != 0),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => !e.IsDirectory || (e.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        }.ToList();

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        hash.AppendData(BitConverter.GetBytes(bytes.Length));
        hash.AppendData(bytes);
    }

    // A link is removed itself; a folder with everything in it (Directory.Delete removes a link inside, not its target).
    private static void Remove(string path)
    {
        if (ManifestFileWriter.IsLink(path))
        {
            ManifestFileWriter.RemoveLink(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// What a passing run left: its key, its log lines, its outputs, and the listing key part with what proves it
    /// still holds (<see cref="ProofOf(SnapshotFolder)"/>; none when the folder's statuses prove nothing).
    /// </summary>
    public sealed record Recorded(int Version, string Key, VerdictLine[] Lines, RecordedFile[] Files, string? Listing = null, string[]? Folders = null, string? FolderState = null);

    /// <summary>
    /// The snapshot folder's listing key part as a run found it (<see cref="ListingOf"/>), its folders, and the
    /// SHA-256 of their statuses when those prove the listing on the next run (<see cref="ProofOf(SnapshotFolder)"/>), or null.
    /// </summary>
    public sealed record ListingProof(string Listing, string[]? Folders, string? FolderState);

    /// <summary>An output file, relative to the output folder.</summary>
    public sealed record RecordedFile(string Path, long Size, string Sha256);
}

/// <summary>
/// The record's JSON, generated at compile time: a reflection-based serializer spent 50–80 ms of a reused verdict's
/// run on building its metadata, cold, before reading the record.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, Converters = [typeof(JsonStringEnumConverter<RuleSeverity>)])]
[JsonSerializable(typeof(VerdictReuse.Recorded))]
internal sealed partial class VerdictJson : JsonSerializerContext;
