using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// The committed snapshot folder as the gate may touch it. Opening it checks, before anything is read or written,
/// that it is a real folder inside the repository (or the allowed root), that it neither is nor contains the project
/// folder, that it does not overlap the output folder, and that nothing in it is a symbolic link. It then knows which
/// files the tool owns: those listed in the ownership index (<c>.configascode/provenance.json</c>, written by every
/// accept). Only owned files are compared, overwritten or deleted; everything else in the folder is left alone.
/// An accept interrupted half-way is finished here (its journal is replayed) before anything else happens.
/// </summary>
public sealed class SnapshotFolder
{
    private int _foreignContentRead;

    /// <summary>The tool's own state inside the snapshot folder (never applied by Argo CD).</summary>
    public const string StateFolder = ".configascode";

    internal const string JournalPath = StateFolder + "/accept-journal.json";
    internal const string StagingFolder = StateFolder + "/staging";


    private SnapshotFolder(string root, bool exists, bool hasIndex, IReadOnlySet<string> owned, IReadOnlyList<string> foreign, IReadOnlyList<string> notes, ManifestLayout layout = ManifestLayout.PerObject, IReadOnlyList<string>? files = null, IReadOnlyList<string>? folders = null, long listedAt = 0)
    {
        Files = files ?? [];
        Folders = folders ?? [];
        ListedAt = listedAt;
        Layout = layout;
        Root = root;
        Exists = exists;
        HasIndex = hasIndex;
        Owned = owned;
        Foreign = foreign;
        Notes = notes;
        _foreign = new HashSet<string>(foreign, StringComparer.Ordinal);
        _listed = new Lazy<(HashSet<string>, HashSet<string>)>(() => (new HashSet<string>(Files, StringComparer.Ordinal), new HashSet<string>(Folders, StringComparer.Ordinal)));
        _recorded = new Lazy<Dictionary<string, string>>(RecordedHashes);
    }

    // The SHA-256 the ownership index records for each file, read again from the index the first time an orphan is
    // checked (only orphans need it: at 10,000 deployments the index lists 73,401 files).
    private readonly Lazy<Dictionary<string, string>> _recorded;

    private readonly HashSet<string> _foreign;

    // The listing as sets, built the first time a path the tool does not own is looked up (InTheWay).
    private readonly Lazy<(HashSet<string> Files, HashSet<string> Folders)> _listed;

    /// <summary>Every file in the folder as it was opened (relative, sorted ordinally; a folder with a link is never opened).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every folder below the folder as it was opened (relative, sorted ordinally; not the folder itself).</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// When the listing of <see cref="Files"/> and <see cref="Folders"/> began (nanoseconds since 1970, UTC): a folder
    /// whose change time is older than this had every entry it has now when it was listed (<see cref="VerdictReuse"/>).
    /// </summary>
    public long ListedAt { get; }

    /// <summary>
    /// The SHA-256 of the statuses of the folder and of every folder in it, read right after they were listed, when
    /// <see cref="GateOptions.ProveListing"/> asked for it and they prove the listing (<see cref="VerdictReuse.ProofOf(SnapshotFolder)"/>); otherwise null.
    /// </summary>
    public string? ListedState { get; private init; }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>False before the first accept.</summary>
    public bool Exists { get; }

    /// <summary>The layout the last accept wrote (recorded in the ownership index); per object when there is none.</summary>
    public ManifestLayout Layout { get; }

    /// <summary>True when the folder has an ownership index.</summary>
    public bool HasIndex { get; }

    /// <summary>
    /// Whose snapshots these are, as the ownership index records them: the config project (indexes written before it was recorded have none) and the platform
    /// the accept that wrote it rendered; both null without an index.
    /// </summary>
    public IndexOwner Owner { get; private init; } = new(null, null);

    /// <summary>Files the tool owns and that exist, by relative path (with '/'); <see cref="FullPath"/> gives the full path.</summary>
    public IReadOnlySet<string> Owned { get; }

    /// <summary>Every other file in the folder (relative paths, sorted): never overwritten or deleted by the tool.</summary>
    public IReadOnlyList<string> Foreign { get; }

    /// <summary>What opening the folder did (an interrupted accept finished), for the build log.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Checks the folders and opens the snapshot folder, or returns the coded reason it must not be touched.</summary>
    public static (SnapshotFolder? Folder, GateDiagnostic? Problem) Open(GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (CheckLocations(options) is { } problem)
        {
            return (null, problem);
        }

        var root = Normalize(options.SnapshotDirectory);
        if (!Directory.Exists(root))
        {
            return (new SnapshotFolder(root, exists: false, hasIndex: false, new HashSet<string>(), [], []), null);
        }

        var files = new List<string>();
        var links = new List<string>();
        var folders = new List<string>();
        var listedAt = FileStatus.UnixNanoseconds(DateTime.UtcNow);
        Walk(root, string.Empty, files, links, folders);
        if (links.Count > 0)
        {
            return (null, Unsafe(options, $"{Show(options, root)} contains symbolic links ({string.Join(", ", links.Take(5))}{(links.Count > 5 ? ", …" : string.Empty)}). ConfigAsCode never follows links: a link could make it read or overwrite files outside the snapshot folder. Replace each link with a real folder or file (an entry listed here that is not a link could not be examined: check its permissions)."));
        }

        // Opening a pipe for reading waits for a writer, and a device may never end: the build would hang until its
        // timeout. Git cannot hold either, so none has a place in a GitOps folder; named before anything is read.
        var special = files.AsParallel().Where(f => FileStatus.IsSpecial(Full(root, f))).ToArray();
        if (special.Length > 0)
        {
            Array.Sort(special, StringComparer.Ordinal);
            return (null, Unsafe(options, $"{Show(options, root)} contains a pipe, socket or device ({string.Join(", ", special.Take(5))}{(special.Length > 5 ? ", …" : string.Empty)}). ConfigAsCode never opens one: reading it could wait forever. Remove each (Git cannot hold them), then restore the snapshot with 'git checkout -- <path>'."));
        }

        var notes = new List<string>();
        var hasJournal = files.Contains(JournalPath);
        var hasStaging = files.Any(f => f.StartsWith(StagingFolder + "/", StringComparison.Ordinal));
        if (hasJournal || hasStaging)
        {
            if (options.CiReason is not null)
            {
                return (null, Unsafe(options, $"{Show(options, root)} holds an accept that did not finish ({JournalPath}). CI never writes the snapshot folder: run a local build to finish it, and do not commit {StateFolder}/staging or the journal."));
            }

            try
            {
                notes.Add(hasJournal
                    ? $"ConfigAsCode: finished an accept that was interrupted ({AcceptTransaction.Recover(root)} changes replayed from {JournalPath})."
                    : $"ConfigAsCode: removed the staging files of an accept that was interrupted before it changed anything.");
                if (!hasJournal)
                {
                    AcceptTransaction.Discard(root);
                }
            }
            catch (AcceptStoppedException stopped)
            {
                // Something stands where the journal must write (or in the staging folder): named, with what to do,
                // on every build until it is moved away; the journal is kept, for that build to finish it.
                return (null, hasJournal ? AcceptTransaction.Unfinished(Show(options, root), stopped) : AcceptTransaction.Undiscarded(Show(options, root), stopped));
            }

            files.Clear();
            folders.Clear();
            listedAt = FileStatus.UnixNanoseconds(DateTime.UtcNow);
            Walk(root, string.Empty, files, links, folders);
        }

        // The folders' statuses as the listing left them, read at once: the proof a verdict records must be these (see
        // VerdictReuse.ProofOf), so that only the clock during the listing matters, not during the whole run.
        var listedState = options.ProveListing ? VerdictReuse.FolderState(root, folders, listedAt) : null;

        var indexPath = Full(root, ManifestRenderer.ProvenancePath);
        var hasIndex = File.Exists(indexPath);
        var index = new HashSet<string>(StringComparer.Ordinal);
        var layout = ManifestLayout.PerObject;
        var owner = new IndexOwner(null, null);
        if (hasIndex)
        {
            var (entries, recorded, recordedOwner, error) = ReadIndexWithOwner(indexPath);
            layout = recorded;
            owner = recordedOwner;
            if (error is not null)
            {
                return (null, Unsafe(options, $"the ownership index {Show(options, root)}/{ManifestRenderer.ProvenancePath} is damaged ({error}). Restore it from Git (in the project folder: 'git checkout -- {Show(options, root)}/{ManifestRenderer.ProvenancePath}'); ConfigAsCode will not guess which files are its own."));
            }

            index.UnionWith(entries);

            // Indexes written by version 0.1 did not list the cost snapshot, which the tool has always written there.
            index.Add(Cost.CostSnapshot.Path);
        }

        // An interrupted write of version 0.1 left ".<name>.<32 hex>.tmp" beside the file it was writing. Only such a
        // file beside one the index owns (or beside the index) is the tool's to remove; any other file of that shape is
        // someone else's and stays, like every file the tool did not write.
        var leftovers = hasIndex && options.CiReason is null
            ? files.Where(f => LegacyTemporaryTarget(f) is { } target && (index.Contains(target) || target == ManifestRenderer.ProvenancePath)).ToArray()
            : [];
        if (leftovers.Length > 0)
        {
            foreach (var leftover in leftovers)
            {
                File.Delete(Full(root, leftover));
            }

            var removed = new HashSet<string>(leftovers, StringComparer.Ordinal);
            files.RemoveAll(removed.Contains);
            notes.Add($"ConfigAsCode: removed {leftovers.Length} temporary file(s) an interrupted write of an earlier version left in {Show(options, root)}.");
        }

        var owned = new HashSet<string>(StringComparer.Ordinal);
        var foreign = new List<string>();
        foreach (var file in files)
        {
            if (string.Equals(file, ManifestRenderer.ProvenancePath, StringComparison.Ordinal))
            {
                continue;
            }

            if (index.Contains(file))
            {
                owned.Add(file);
            }
            else
            {
                foreign.Add(file);
            }
        }

        foreign.Sort(StringComparer.Ordinal);
        return (new SnapshotFolder(root, exists: true, hasIndex, owned, foreign, notes, layout, files, folders, listedAt) { ListedState = listedState, Owner = owner }, null);
    }

    /// <summary>The full path of <paramref name="relative"/> inside the folder.</summary>
    public string FullPath(string relative) => Full(Root, relative);

    /// <summary>True when <paramref name="relative"/> is a file in the folder that the tool does not own.</summary>
    public bool IsForeign(string relative) => _foreign.Contains(relative);

    /// <summary>
    /// Why an owned file that nothing renders any more must not be removed, or null when it may: its content is not
    /// what the index records that the tool wrote there (a hand edit, or a path someone listed in the index for a file
    /// of their own). An accept removes only what the tool wrote.
    /// </summary>
    internal string? NotAsWritten(string relative, byte[] content) =>
        _recorded.Value.TryGetValue(relative, out var sha256) && string.Equals(Provenance.Sha256(content), sha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"its content is not what ConfigAsCode wrote there (the ownership index {ManifestRenderer.ProvenancePath} does not record these bytes for it: it was edited by hand, or listed in the index for a file ConfigAsCode did not write)";

    private Dictionary<string, string> RecordedHashes()
    {
        try
        {
            return IndexHashes(File.ReadAllBytes(Full(Root, ManifestRenderer.ProvenancePath)));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Read once already by Open; an index that cannot be read again vouches for nothing, so nothing is removed.
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The paths an ownership index lists, each with the SHA-256 it records ("" where it records none, which no file's
    /// bytes match; the first entry of a path listed twice); throws when it is not an index.
    /// </summary>
    internal static Dictionary<string, string> IndexHashes(byte[] json)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var file in document.RootElement.GetProperty("files").EnumerateArray())
        {
            entries.TryAdd(
                file.GetProperty("path").GetString() ?? string.Empty,
                file.TryGetProperty("sha256", out var sha256) && sha256.ValueKind == JsonValueKind.String ? sha256.GetString()! : string.Empty);
        }

        return entries;
    }

    /// <summary>
    /// What stands, in the folder as it was listed, where the tool must write the file <paramref name="relative"/> and
    /// that it may not remove: a folder at that path, a file (owned or not) at a path it must create as a folder on the
    /// way, or a pipe, socket or device the tool does not own at that path; null when nothing does (a file the tool does
    /// not own there is <see cref="IsForeign"/>). Links never get this far: a folder with one is never opened.
    /// </summary>
    internal string? InTheWay(string relative)
    {
        var (files, folders) = _listed.Value;
        if (folders.Contains(relative))
        {
            return "a folder is at that path";
        }

        for (var slash = relative.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = relative.IndexOf('/', slash + 1))
        {
            var above = relative.Substring(0, slash);
            if (files.Contains(above))
            {
                return $"a file is at {above}, where a folder must be";
            }
        }

        return IsForeign(relative) && FileStatus.IsSpecial(FullPath(relative)) ? "a pipe, socket or device is at that path" : null;
    }

    /// <summary>
    /// What stands, on disk now, where a file must be moved to <paramref name="relative"/> in <paramref name="root"/>:
    /// like <see cref="InTheWay"/>, and a link at the path or on the way; null for nothing or a regular file (whose
    /// ownership the caller decides). Folders found real on the way are remembered in <paramref name="checkedFolders"/>.
    /// </summary>
    internal static string? Obstacle(string root, string relative, HashSet<string> checkedFolders)
    {
        for (var slash = relative.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = relative.IndexOf('/', slash + 1))
        {
            var above = relative.Substring(0, slash);
            if (checkedFolders.Contains(above))
            {
                continue;
            }

            switch (EntryKind(Full(root, above)))
            {
                case null:
                    return null; // absent: it and what is below it are created on the way
                case FileAttributes.Directory:
                    checkedFolders.Add(above);
                    continue;
                case FileAttributes.ReparsePoint:
                    return $"a link is at {above}, where a folder must be";
                case FileAttributes.Offline:
                    return $"{above} cannot be looked at (check its permissions), where a folder must be";
                default:
                    return $"a file is at {above}, where a folder must be";
            }
        }

        var full = Full(root, relative);
        return EntryKind(full) switch
        {
            FileAttributes.Directory => "a folder is at that path",
            FileAttributes.ReparsePoint => "a link is at that path",
            FileAttributes.Offline => "that path cannot be looked at (check its permissions)",
            _ when FileStatus.IsSpecial(full) => "a pipe, socket or device is at that path",
            _ => null,
        };
    }

    // Directory, ReparsePoint (a link), Offline (an entry that cannot be looked at), Normal (any other file), or null
    // when nothing is there. The entry itself, never what a link points to.
    private static FileAttributes? EntryKind(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileAttributes.Offline;
        }

        return (attributes & FileAttributes.ReparsePoint) != 0 ? FileAttributes.ReparsePoint
            : (attributes & FileAttributes.Directory) != 0 ? FileAttributes.Directory
            : FileAttributes.Normal;
    }

    /// <summary>
    /// True once a file the tool does not own was read to compare it with a rendered one (a hand-written manifest at a
    /// path the gate renders): its content decided the verdict, and nothing signs it, so that verdict is never reused.
    /// </summary>
    public bool ForeignContentRead => _foreignContentRead != 0;

    internal void NoteForeignContentRead() => System.Threading.Interlocked.Exchange(ref _foreignContentRead, 1);

    /// <summary>
    /// Every file and every link under <paramref name="root"/> (relative, sorted ordinally), listed as a full run lists
    /// them (by the kind the listing carries, without a status read per entry; links never entered).
    /// </summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Links) ListEntries(string root)
    {
        var files = new List<string>();
        var links = new List<string>();
        Walk(root, string.Empty, files, links, folders: null);
        return (files, links);
    }

    /// <summary>The owned file's bytes, or null when the tool owns no such file.</summary>
    public byte[]? ReadOwned(string relative) => Owned.Contains(relative) ? File.ReadAllBytes(FullPath(relative)) : null;

    internal static string Full(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// A relative path the tool may own: '/'-separated, no empty, '.' or '..' segment, not rooted, a snapshot
    /// extension, and not inside the tool's staging area.
    /// </summary>
    internal static bool IsOwnablePath(string path)
    {
        if (path.Length == 0 || path.Length >= 1024 || path[0] == '/' || path.StartsWith(StagingFolder + "/", StringComparison.Ordinal)
            || !(path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal)))
        {
            return false;
        }

        // One pass: no control character or backslash, and no empty, ".", "..", or space-padded segment.
        var segmentStart = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                if (char.IsControl(path[i]) || path[i] == '\\' || path[i] == ':')
                {
                    return false;
                }

                continue;
            }

            var length = i - segmentStart;
            if (length == 0 || (length <= 2 && path.AsSpan(segmentStart, length).Trim('.').IsEmpty) || path[segmentStart] == ' ' || path[i - 1] == ' ')
            {
                return false;
            }

            segmentStart = i + 1;
        }

        return true;
    }

    internal static (IReadOnlyList<string> Entries, ManifestLayout Layout, string? Error) ReadIndex(string path)
    {
        var (entries, layout, _, error) = ReadIndexWithOwner(path);
        return (entries, layout, error);
    }

    // The index's files and layout, and whose it is: the project and the platform the accept that wrote it recorded.
    private static (IReadOnlyList<string> Entries, ManifestLayout Layout, IndexOwner Owner, string? Error) ReadIndexWithOwner(string path)
    {
        var unknown = new IndexOwner(null, null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var layout = ManifestLayout.PerObject;
            if (document.RootElement.TryGetProperty("layout", out var recorded))
            {
                var name = recorded.ValueKind == JsonValueKind.String ? recorded.GetString() : null;
                if (name is not ("object" or "app"))
                {
                    return ([], layout, unknown, "its \"layout\" is neither \"object\" nor \"app\"");
                }

                layout = name == "app" ? ManifestLayout.PerApp : ManifestLayout.PerObject;
            }

            // Who owns the folder decides whether this build may call its files orphans: a value that is there but not
            // a non-empty string is damage, not an index without an owner.
            var owner = new string?[2];
            string[] keys = ["project", "platform"];
            for (var i = 0; i < keys.Length; i++)
            {
                if (document.RootElement.TryGetProperty(keys[i], out var value))
                {
                    owner[i] = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (string.IsNullOrEmpty(owner[i]))
                    {
                        return ([], layout, unknown, $"its \"{keys[i]}\" is not a name");
                    }
                }
            }

            var entries = new List<string>();
            foreach (var file in document.RootElement.GetProperty("files").EnumerateArray())
            {
                var relative = file.GetProperty("path").GetString();
                if (relative is null || !IsOwnablePath(relative))
                {
                    return ([], layout, unknown, $"'{relative}' is not a path inside the snapshot folder");
                }

                entries.Add(relative);
            }

            return (entries, layout, new IndexOwner(owner[0], owner[1]), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return ([], ManifestLayout.PerObject, unknown, e.GetType().Name);
        }
    }

    // Files, not following links: links are collected (as relative paths) and never entered. The listings read the
    // kind each directory entry already carries, so no file is opened or stat'ed one by one (see List).
    private static void Walk(string root, string prefix, List<string> files, List<string> links, List<string>? folders)
    {
        // The top level (environments) is listed here and each folder below it on its own thread: on the 2-core
        // machine of docs/performance.md that halves the listing of a 10,000-deployment fleet.
        var top = List(root, prefix, recurse: false);
        var environments = top.Where(e => e.Folder && !e.Link).ToArray();
        var below = new List<(string Relative, bool Link, bool Folder)>[environments.Length];
        System.Threading.Tasks.Parallel.For(0, environments.Length, i =>
            below[i] = List(Path.Combine(root, environments[i].Relative.Substring(prefix.Length)), environments[i].Relative + "/", recurse: true));
        foreach (var (relative, link, folder) in top.Concat(below.SelectMany(b => b)))
        {
            if (link)
            {
                links.Add(relative);
            }
            else if (!folder)
            {
                files.Add(relative);
            }
            else
            {
                folders?.Add(relative);
            }
        }

        files.Sort(StringComparer.Ordinal);
        links.Sort(StringComparer.Ordinal);
        folders?.Sort(StringComparer.Ordinal);
    }

    private static List<(string Relative, bool Link, bool Folder)> List(string directory, string prefix, bool recurse)
    {
        // Reading an entry's attributes costs a stat() per entry on Unix (0.37 s of a 0.52 s single-threaded listing of
        // 83,000 entries on the machine of docs/performance.md), while skipping links by attribute reads only the kind the listing
        // itself carries. So the folder is listed twice: without links, which enters every real folder, then by name
        // alone, entering only the folders the first listing found. What only the second listing holds is a link (or
        // came in between): only those entries are looked at one by one.
        var real = Enumerate(directory, prefix, recurse, FileAttributes.ReparsePoint, enter: null);
        var seen = new HashSet<string>(real.Count, StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var listed = new List<(string Relative, bool Link, bool Folder)>(real.Count);
        foreach (var (relative, folder) in real)
        {
            seen.Add(relative);
            listed.Add((relative, false, folder));
            if (folder)
            {
                folders.Add(relative);
            }
        }

        foreach (var (relative, _) in Enumerate(directory, prefix, recurse, 0, enter: folders))
        {
            if (seen.Contains(relative))
            {
                continue;
            }

            FileAttributes attributes;
            try
            {
                // The entry itself, never what a link points to.
                attributes = File.GetAttributes(Path.Combine(directory, relative.Substring(prefix.Length)));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue; // gone since the first listing
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                attributes = FileAttributes.ReparsePoint; // an entry that cannot be looked at is refused like a link
            }

            var link = (attributes & FileAttributes.ReparsePoint) != 0;
            listed.Add((relative, link, !link && (attributes & FileAttributes.Directory) != 0));
        }

        // Named with '/' only now: on Linux and macOS a backslash is an ordinary character of a name, and a folder
        // named 'a\b' must not pass for 'a/b' in the lookups above (a link in it would pass for a real entry there).
        if (Path.DirectorySeparatorChar == '\\')
        {
            for (var i = 0; i < listed.Count; i++)
            {
                listed[i] = (listed[i].Relative.Replace('\\', '/'), listed[i].Link, listed[i].Folder);
            }
        }

        return listed;
    }

    // The entries below a folder as paths after the prefix, in the system's own separators (the lookups must not take
    // one name for another), with whether each is a folder; entering only the folders in enter when it is given, and
    // never a link to a folder (checked on each folder: one stat per folder, not per file).
    private static List<(string Relative, bool Folder)> Enumerate(string directory, string prefix, bool recurse, FileAttributes skip, HashSet<string>? enter)
    {
        var start = directory.Length + 1;
        string Relative(ref System.IO.Enumeration.FileSystemEntry entry)
        {
            var folder = entry.Directory.Length > start ? entry.Directory.Slice(start).ToString() + Path.DirectorySeparatorChar : string.Empty;
            return prefix + folder + entry.FileName.ToString();
        }

        var options = new EnumerationOptions { RecurseSubdirectories = recurse, AttributesToSkip = skip, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var listing = new System.IO.Enumeration.FileSystemEnumerable<(string Relative, bool Folder)>(
            directory,
            (ref System.IO.Enumeration.FileSystemEntry entry) => (Relative(ref entry), entry.IsDirectory),
            options);
        listing.ShouldRecursePredicate = (ref System.IO.Enumeration.FileSystemEntry entry) =>
            (entry.Attributes & FileAttributes.ReparsePoint) == 0 && (enter is null || enter.Contains(Relative(ref entry)));
        return listing.ToList();
    }

    // ".<name>.<32 hex>.tmp": what an interrupted atomic write of version 0.1 left beside a snapshot. Returns the path
    // of the file that write was for (in the same folder), or null for any other name.
    internal static string? LegacyTemporaryTarget(string relative)
    {
        var slash = relative.LastIndexOf('/');
        var name = relative.Substring(slash + 1);
        if (!name.StartsWith('.') || !name.EndsWith(".tmp", StringComparison.Ordinal) || name.Length < 39)
        {
            return null;
        }

        var guid = name.Substring(name.Length - 36, 32);
        if (!guid.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) || name[name.Length - 37] != '.')
        {
            return null;
        }

        return relative.Substring(0, slash + 1) + name.Substring(1, name.Length - 38);
    }

    // A '.git' segment between the allowed root and the folder (any case: on a case-insensitive file system '.GIT' is the same folder).
    private static bool InGitMetadata(string root, string folder) =>
        IsInside(folder, root) && Path.GetRelativePath(root, folder).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(s => string.Equals(s, ".git", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The folder rules, checked before anything is read or written: the snapshot folder is inside the repository
    /// (or <see cref="GateOptions.AllowedRoot"/>), is not the project folder or above it, is not a file, has no
    /// symbolic link on its way from the root; the output folder is inside the repository too, is not the project
    /// folder or above it, and neither folder contains the other.
    /// </summary>
    public static GateDiagnostic? CheckLocations(GateOptions options)
    {
        var project = Normalize(options.ProjectDirectory);
        var snapshot = Normalize(options.SnapshotDirectory);
        var output = Normalize(options.OutputDirectory);
        var root = Normalize(options.AllowedRoot ?? RepositoryRoot(project) ?? project);
        var rootSource = options.AllowedRoot is not null ? "ConfigAsCodeAllowedRoot" : RepositoryRoot(project) is not null ? "the Git repository" : "the project folder (no Git repository was found)";

        foreach (var (name, folder, property) in new[] { ("snapshot folder", snapshot, "ConfigAsCodeSnapshotDirectory"), ("output folder", output, "ConfigAsCodeOutputDirectory") })
        {
            // The output folder may be spelled by another route than the project folder the root is found from (the
            // checkout reached through a link, obj/ spelled by its real path): inside it as the links resolve is inside.
            if (!IsInside(folder, root) && !(property == "ConfigAsCodeOutputDirectory" && IsInside(RealPath(folder), RealPath(root))))
            {
                return Unsafe(options, $"the {name} '{folder}' is outside {rootSource} ({root}). ConfigAsCode writes and deletes files there, so it must stay inside the repository: set {property} to a folder inside it, or name an allowed root with -p:ConfigAsCodeAllowedRoot=<folder>.");
            }

            if (IsInside(project, folder) || IsInside(RealPath(project), RealPath(folder)))
            {
                return Unsafe(options, $"the {name} '{folder}' is the project folder or contains it. ConfigAsCode would treat the project's own files as its output. Set {property} to a folder of its own, such as '{(property == "ConfigAsCodeSnapshotDirectory" ? "deploy" : "obj/configascode")}'.");
            }

            if (File.Exists(folder))
            {
                return Unsafe(options, $"the {name} '{folder}' is a file, not a folder. Remove it or set {property} to a folder.");
            }

            // Git's own folder passes every check above (an empty .git/refs/tags is inside the repository and holds
            // nothing of anyone's), and what the gate writes there becomes broken refs, hooks or objects of the repository.
            if (InGitMetadata(root, folder) || InGitMetadata(root, RealPath(folder)))
            {
                return Unsafe(options, $"the {name} '{folder}' is inside a '.git' folder, Git's own data: the files ConfigAsCode writes there would become refs, hooks or objects of the repository. Set {property} to a folder of the project's own, such as '{(property == "ConfigAsCodeSnapshotDirectory" ? "deploy" : "obj/configascode")}'.");
            }

            // Output under a linked obj/ (a build cache on another disk) is common and harmless: the gate deletes only in
            // a folder it marked. The snapshot folder is what it writes into the repository: no link on its way.
            if (property == "ConfigAsCodeSnapshotDirectory" && LinkOnTheWay(root, folder) is { } link)
            {
                return Unsafe(options, $"'{link}' on the way to the {name} is a symbolic link. ConfigAsCode never writes through links (the files would land outside the repository). Use a real folder.");
            }
        }

        // Compared as spelled and as the links on the way resolve (an output folder under a linked obj/ is allowed, so
        // a link may lead it into the snapshot folder, or into another output folder's deploy/ or held/).
        var (realOutput, realSnapshot) = (RealPath(output), RealPath(snapshot));
        if (IsInside(output, snapshot) || IsInside(snapshot, output) || IsInside(realOutput, realSnapshot) || IsInside(realSnapshot, realOutput))
        {
            return Unsafe(options, $"the output folder '{output}' and the snapshot folder '{snapshot}' overlap{(IsInside(output, snapshot) || IsInside(snapshot, output) ? string.Empty : $" (through a link: they are '{realOutput}' and '{realSnapshot}')")}. Fresh output would overwrite the committed snapshots without an accept, and the gate would compare the snapshots with themselves. Keep the output folder under obj/ (the default) and the snapshots under deploy/.");
        }

        // An output folder's run empties its fresh tree and its held outputs whole: an output folder in either (another
        // project's, a marker of its own and all) would lose its reports, lock and verdict to that run.
        if ((InsideEmptiedFolder(output, root) ?? InsideEmptiedFolder(realOutput, null)) is { } emptied)
        {
            return Unsafe(options, $"the output folder '{output}' is inside '{emptied}', which the gate empties on every run of the output folder '{Path.GetDirectoryName(emptied)}' (its {Path.GetFileName(emptied)}/ folder). Set ConfigAsCodeOutputDirectory to a folder of this project's own outside it (the default, obj/…/configascode/, is).");
        }

        // A snapshot folder is applied as it is (Argo CD, Flux): another project's, found by its ownership index, never
        // holds an output folder, whose fresh deploy/ tree would be applied with it.
        if ((InsideSnapshotFolder(output, root) ?? InsideSnapshotFolder(realOutput, null)) is { } snapshots)
        {
            return Unsafe(options, $"the output folder '{output}' is inside '{snapshots}', a snapshot folder (it holds the ownership index {ManifestRenderer.ProvenancePath}). Its fresh deploy/ tree and reports would be committed and applied with that folder's manifests. Keep the output folder under obj/ (the default).");
        }

        if (!ManifestFileWriter.IsOwnedOutputFolder(output))
        {
            return Unsafe(options, $"the output folder '{output}' holds files ConfigAsCode did not write (it has no {ManifestFileWriter.OutputMarker} marker): the gate replaces its reports and empties its deploy/ folder on every run, so it must be a folder of its own. Keep the default (obj/…/configascode/) or point ConfigAsCodeOutputDirectory at a new folder.");
        }

        if (OtherOwner(options) is { } other)
        {
            var recordedName = RecordedAssembly(other.Recorded);
            var renamed = recordedName is not null && options.ConfigAssemblyName is not null
                ? $" If the folder came with a copied obj/ folder, delete it and build again. Only if this project replaces '{recordedName}' (a renamed project), take the folder over with -p:ConfigAsCodeTakeOwnershipFrom={recordedName} (its snapshot folder may need the same)."
                : " If that project no longer uses the folder, delete the folder and build again.";
            return Unsafe(options, $"the output folder '{output}' is the output folder of {other.Shown} (its {ManifestFileWriter.OutputMarker} marker says so), not of this project ({ShowOwner(output, OutputOwner(options))}). Two projects cannot share an output folder: each run removes the last run's reports, fresh deploy/ tree and verdict there, so each would delete the other's and publish its own in their place. Set ConfigAsCodeOutputDirectory to a folder of this project's own (the default, obj/…/configascode/, is)." + renamed);
        }

        return null;
    }

    /// <summary>
    /// <paramref name="path"/> with every link on its way resolved, as far as it exists (the rest as spelled); the path
    /// as spelled when a link cannot be resolved (a loop, a permission).
    /// </summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var full = Normalize(path);
        var root = Path.GetPathRoot(full);
        if (string.IsNullOrEmpty(root) || depth > 32)
        {
            return full;
        }

        var current = root;
        foreach (var segment in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, segment);
            try
            {
                var info = new DirectoryInfo(next);
                current = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? RealPath(target.FullName, depth + 1) : next;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return full;
            }
        }

        return Normalize(current);
    }

    // The nearest folder above the folder that holds a ConfigAsCode ownership index (a snapshot folder), or null.
    private static string? InsideSnapshotFolder(string folder, string? root)
    {
        for (var parent = Path.GetDirectoryName(folder); parent is not null && (root is null || IsInside(parent, root)); parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(Full(parent, ManifestRenderer.ProvenancePath)))
            {
                return parent;
            }
        }

        return null;
    }

    // The fresh tree or held folder of an output folder (a folder with the marker) that contains the folder, or null.
    private static string? InsideEmptiedFolder(string folder, string? root)
    {
        for (var child = folder; Path.GetDirectoryName(child) is { } parent && (root is null || IsInside(parent, root)); child = parent)
        {
            var name = Path.GetFileName(child);
            if ((name == GateRunner.FreshFolder || name == VerdictReuse.HeldFolder) && File.Exists(Path.Combine(parent, ManifestFileWriter.OutputMarker)))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>What this build writes into its output folder's marker (<see cref="ManifestFileWriter.OwnerOf"/>).</summary>
    public static string OutputOwner(GateOptions options) =>
        ManifestFileWriter.OwnerOf(options.ProjectDirectory, options.OutputDirectory, options.ConfigAssemblyName);

    /// <summary>
    /// True when the output folder is this project's to empty: the gate's (<see cref="ManifestFileWriter.IsOwnedOutputFolder"/>)
    /// and claimed by no other project.
    /// </summary>
    public static bool IsOwnOutputFolder(GateOptions options) =>
        ManifestFileWriter.IsOwnedOutputFolder(options.OutputDirectory) && OtherOwner(options) is null;

    /// <summary>
    /// Marks the output folder as this project's: a marker that names no owner is claimed, and one that names the project
    /// ConfigAsCodeTakeOwnershipFrom names is taken over. Call it only once the location checks passed. True when it
    /// took the folder over from that project.
    /// </summary>
    public static bool ClaimOutputFolder(GateOptions options)
    {
        var own = OutputOwner(options);
        ManifestFileWriter.MarkOutputFolder(options.OutputDirectory, own);
        if (ManifestFileWriter.RecordedOwner(options.OutputDirectory) is not { } recorded || string.Equals(recorded, own, PathComparison))
        {
            return false;
        }

        // A marker that names this project another way (the version before recorded the folder as spelled) is rewritten
        // as this version records it, links resolved: no other route to the same folders can then read it as a project
        // of its own, such as a copy whose obj/ is a link to this one's.
        var mine = NamesThisProject(options, recorded);
        var takesOver = !mine && TakesOver(options, recorded);
        if (mine || takesOver)
        {
            ManifestFileWriter.WriteAtomically(Path.Combine(options.OutputDirectory, ManifestFileWriter.OutputMarker), System.Text.Encoding.UTF8.GetBytes(own));
        }

        return takesOver;
    }

    // The other project the output folder's marker names (what it records, and as shown in a message); null when it
    // names this one, none, or the project ConfigAsCodeTakeOwnershipFrom takes over.
    private static (string Recorded, string Shown)? OtherOwner(GateOptions options)
    {
        string? recorded;
        try
        {
            recorded = ManifestFileWriter.RecordedOwner(options.OutputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (string.Empty, $"an owner its {ManifestFileWriter.OutputMarker} marker does not let be read ({e.Message})");
        }

        return recorded is null || NamesThisProject(options, recorded) || TakesOver(options, recorded) ? null : (recorded, "the config project " + ShowOwner(options.OutputDirectory, recorded));
    }

    /// <summary>
    /// True when the marker <paramref name="recorded"/> names this project: the same assembly name, and a project folder
    /// that is this project's folder once the links on the way are resolved. One this version wrote (<see
    /// cref="ManifestFileWriter.LinksResolved"/>) is read from the output folder's real path only, so a copy whose obj/ is a
    /// link here is not its owner; one the version before wrote (the folder as the paths were spelled then) is read
    /// from the output folder as spelled now too, as that version compared it.
    /// </summary>
    private static bool NamesThisProject(GateOptions options, string recorded)
    {
        if (string.Equals(recorded, OutputOwner(options), PathComparison))
        {
            return true;
        }

        if (ParseOwner(recorded) is not { } owner || !string.Equals(owner.Assembly ?? string.Empty, options.ConfigAssemblyName ?? string.Empty, PathComparison))
        {
            return false;
        }

        var project = RealPath(options.ProjectDirectory);
        bool Leads(string from)
        {
            try
            {
                return string.Equals(RealPath(Path.Combine(from, owner.Folder)), project, PathComparison);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return false;
            }
        }

        return Leads(RealPath(options.OutputDirectory)) || (!owner.Resolved && Leads(Normalize(options.OutputDirectory)));
    }

    // A marker's project folder, whether it was recorded with links resolved, and its assembly name; null for a marker of
    // another shape (a line it does not know, one twice, a control character), which names no project this one is.
    private static (string Folder, bool Resolved, string? Assembly)? ParseOwner(string recorded)
    {
        string? folder = null;
        string? assembly = null;
        var resolved = false;
        foreach (var line in recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("project-folder=", StringComparison.Ordinal) && folder is null)
            {
                folder = line["project-folder=".Length..];
            }
            else if (line.StartsWith("assembly=", StringComparison.Ordinal) && assembly is null)
            {
                assembly = line["assembly=".Length..];
            }
            else if (line == ManifestFileWriter.LinksResolved && !resolved)
            {
                resolved = true;
            }
            else
            {
                return null;
            }
        }

        return string.IsNullOrEmpty(folder) || folder.Any(char.IsControl) || (assembly is not null && assembly.Any(char.IsControl))
            ? null
            : (folder, resolved, string.IsNullOrEmpty(assembly) ? null : assembly);
    }

    // ConfigAsCodeTakeOwnershipFrom names the assembly the marker records, exactly.
    private static bool TakesOver(GateOptions options, string recorded) =>
        options.TakeOwnershipFrom is { } wanted && RecordedAssembly(recorded) is { } name && string.Equals(name, wanted, StringComparison.Ordinal);

    private static string? RecordedAssembly(string recorded) =>
        recorded.Split('\n').FirstOrDefault(l => l.StartsWith("assembly=", StringComparison.Ordinal)) is { } line && line.Length > "assembly=".Length ? line["assembly=".Length..] : null;

    // "'Name' in /abs/folder" from a marker's lines; a marker of another shape is quoted, shortened.
    private static string ShowOwner(string output, string recorded)
    {
        string? folder = null;
        string? assembly = null;
        var resolved = false;
        foreach (var line in recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("project-folder=", StringComparison.Ordinal))
            {
                folder = line["project-folder=".Length..];
            }
            else if (line.StartsWith("assembly=", StringComparison.Ordinal))
            {
                assembly = line["assembly=".Length..];
            }
            else if (line == ManifestFileWriter.LinksResolved)
            {
                resolved = true;
            }
        }

        if (folder is null || folder.Any(char.IsControl) || (assembly is not null && assembly.Any(char.IsControl)))
        {
            var text = new string(recorded.Where(c => !char.IsControl(c)).Take(120).ToArray());
            return $"'{text}'";
        }

        // A folder recorded with links resolved is a path from the output folder's real path (through a linked obj/,
        // '../..' from the path as spelled is another folder).
        var where = Path.GetFullPath(Path.Combine(resolved ? RealPath(output) : output, folder));
        return assembly is null ? $"in '{where}'" : $"'{assembly}' in '{where}'";
    }

    /// <summary>The nearest folder at or above <paramref name="directory"/> that holds <c>.git</c> (a folder, or a file for worktrees).</summary>
    internal static string? RepositoryRoot(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var git = Path.Combine(current.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Normalize(current.FullName);
            }
        }

        return null;
    }

    internal static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    internal static bool IsInside(string path, string folder) =>
        string.Equals(path, folder, PathComparison) || path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison);

    private static StringComparison PathComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static string? LinkOnTheWay(string root, string folder)
    {
        var relative = Path.GetRelativePath(root, folder);
        var current = root;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            current = Path.Combine(current, segment);
            var info = new DirectoryInfo(current);
            if (!info.Exists && !File.Exists(current))
            {
                return null;
            }

            if (info.LinkTarget is not null || (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0))
            {
                return current;
            }
        }

        return null;
    }

    private static string Show(GateOptions options, string path) => GateRunner.Relative(options, path);

    private static GateDiagnostic Unsafe(GateOptions options, string message) =>
        new(RuleSeverity.Error, RuleCatalog.UnsafeFolder.Id, null, 0, message + " Nothing was read or written.");
}

/// <summary>
/// Whose snapshot folder it is, as its ownership index records it: the config project (its assembly's name) and the
/// platform, each null when the index does not say.
/// </summary>
public sealed record IndexOwner(string? Project, string? Platform);
