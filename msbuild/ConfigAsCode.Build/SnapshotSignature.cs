using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ConfigAsCode.Synthesis.Gate;

namespace ConfigAsCode.Build;

/// <summary>
/// The signature of the snapshot folder: it changes whenever a file the gate reads there changes, so the gate's
/// target runs again. It covers the files the gate owns (as the ownership index lists them), the index itself, the cost
/// snapshot and an interrupted accept; files the gate does not own are never compared, so their content is not signed.
/// What else a full run meets in the folder is (<see cref="SignTree"/>): a link on the way to it, and the names in it,
/// since a link, a pipe or a device anywhere there is CAC9011.
/// <para>
/// On Linux, when the folder is on a local file system (ext4, xfs, btrfs, tmpfs, overlayfs, f2fs, zfs), each file is
/// signed by what <c>statx</c> reports (device, inode, size, modification and change time), read without following a
/// link at the file itself. There the change time (<c>ctime</c>) cannot be set by a program (short of setting the
/// system clock, or <c>zfs rollback</c>; docs/threat-model.md): every write, rename, permission or date change (even
/// one that puts the modification date back) moves it to the current time, and a checkout creates new files. That is what git trusts to find changed files. Two edits within one tick of the file system's
/// clock would leave the same change time (git's "racily clean" files), so when a file changed within
/// <see cref="Tick"/> of the signing, the folder is signed again after that tick has passed: any later edit then has a
/// later change time. A file whose change time has no sub-second part (a file system that keeps whole seconds) is
/// signed by its content as well. Either way the same folder state gives the same signature, except with an index this
/// reader cannot take exactly as the host does (a JSON escape in a key or a path, a path the gate never writes): then
/// each signature is new, and the gate runs on every build.
/// Elsewhere (Windows, macOS, a network or virtual file system), wherever <c>statx</c> is missing or refused, and for a
/// file it does not fully describe or that is on another device, each file is signed by its content; so is the whole
/// folder when files keep changing through three tries.
/// </para>
/// </summary>
internal static class SnapshotSignature
{
    /// <summary>A file changed this close to the signing makes the folder be signed again once it has passed (<see cref="FileStatus.Tick"/>).</summary>
    internal static readonly TimeSpan Tick = FileStatus.Tick;

    /// <summary>
    /// MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name (the runtime the task runs on reads
    /// the flag): compiled optimized at once, for loops over every owned file in a process that runs them once.
    /// </summary>
    private const System.Runtime.CompilerServices.MethodImplOptions Optimized = (System.Runtime.CompilerServices.MethodImplOptions)512;

    /// <summary>Files are signed in a fixed number of runs: the same signature on every machine, whatever its cores.</summary>
    private const int SignatureRuns = 16;

    /// <summary>
    /// The folder's signature, or "absent". <paramref name="clock"/> gives the current UTC time (tests move it);
    /// <paramref name="byContent"/> signs every file by its content (what other systems get).
    /// </summary>
    internal static string Sign(string? folder, Func<DateTime>? clock = null, bool byContent = false) => Signed(folder, clock ?? (() => DateTime.UtcNow), byContent).Signature;

    /// <summary>The signature, and how many times the folder was signed to get one no racy edit can hide from.</summary>
    internal static (string Signature, int Attempts) Signed(string? folder, Func<DateTime> clock, bool byContent = false)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var started = FileStatus.UnixNanoseconds(clock());
            var (signature, latestChange) = SignOnce(folder, byContent);
            if (latestChange < started - FileStatus.TickNanoseconds)
            {
                return (signature, attempt);
            }

            System.Threading.Thread.Sleep(Tick);
        }

        // Files still changing (an accept writing them, a checkout): their content decides.
        return (SignOnce(folder, byContent: true).Signature, 4);
    }

    // The signature, and the latest change time among the files signed by their status alone (long.MinValue when none).
    private static (string Signature, long LatestChange) SignOnce(string? folder, bool byContent)
    {
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return ("absent", long.MinValue);
        }

        // The files the gate owns, as its index lists them, plus the index itself and any interrupted accept: only
        // those decide the verdict, and a folder the gate would refuse is never walked here (a snapshot folder set to
        // '..' must not be read before the host refuses it). An owned path that is a link is signed as a link, never
        // followed; a file that cannot be read is signed as such.
        var root = Path.GetFullPath(folder!);
        var files = new List<OwnedPath> { OwnedPath.Of(StateFolder + "/provenance.json"), OwnedPath.Of(StateFolder + "/cost.json"), OwnedPath.Of(StateFolder + "/accept-journal.json") };
        var (owned, exact) = OwnedPaths(Path.Combine(root, StateFolder, "provenance.json"));
        if (!exact)
        {
            // An index this reader cannot take exactly as the host does (a JSON escape, a path the gate never writes):
            // some owned file might go unsigned, and an edit to it unseen. No signature is trusted: the gate runs on
            // every build, and the host reports the index if it is damaged.
            return ("unread-index:" + Guid.NewGuid().ToString("N"), long.MinValue);
        }

        files.AddRange(owned);
        var stagingMark = Directory.Exists(Path.Combine(root, StateFolder, "staging")) ? "staging" : string.Empty;
        var device = byContent ? null : FileStatus.LocalDevice(root);
        var method = device is not null ? "status" : "content";
        var rootUtf8 = Encoding.UTF8.GetBytes(root.TrimEnd(Path.DirectorySeparatorChar) + "/");

        // One incremental hash, one read buffer and one record buffer per run: at 10,000 deployments (73,400 files) a
        // hash object and an array per file cost a third of the task's time; records reach the hash in 64 KB blocks,
        // not in a call per file, and are binary (a status record is the 56 bytes statx gave, not formatted text).
        // Each run's results are stored once: the runs' slots share a cache line, which a store per file would make
        // the cores take from each other.
        var runs = new byte[SignatureRuns][];
        var latest = new long[SignatureRuns];
        System.Threading.Tasks.Parallel.For(0, SignatureRuns, run => (runs[run], latest[run]) = SignRun(root, rootUtf8, files, run * files.Count / SignatureRuns, (run + 1) * files.Count / SignatureRuns, device));

        using var all = SHA256.Create();
        foreach (var run in runs)
        {
            all.TransformBlock(run, 0, run.Length, null, 0);
        }

        all.TransformFinalBlock([], 0, 0);
        var (tree, treeChange) = SignTree(root, files, device);
        return (files.Count.ToString(CultureInfo.InvariantCulture) + ":" + method + ":" + Hex(all.Hash!) + stagingMark + ":" + tree, Math.Max(latest.Max(), treeChange));
    }

    /// <summary>
    /// What a full run meets in the folder besides the owned files' bytes, and the latest change among the folders
    /// signed by their status alone: which of the folder and the folders above it is a link (the host refuses a
    /// snapshot folder with a link on its way, CAC9011, and a folder moved and linked back keeps every file's status),
    /// and the names in it. The host lists every name: a link, a pipe, a socket or a device anywhere is CAC9011, a
    /// manifest of someone else's is named in the summary, a leftover of an interrupted write is removed; signed by
    /// the owned files alone, a link added beside them left the no-op build "up to date" where the gate fails.
    /// <para>
    /// By status (<paramref name="device"/> set): the status of the folder and of every folder on the way to an owned
    /// file. Creating, removing or renaming an entry in a folder moves its change time, which no program can set back
    /// there (the trust the files' signature places in theirs, and the host's proof of its listing, VerdictReuse):
    /// a name added in a folder that holds owned files, or in any new folder below one, is seen without listing the
    /// 10,008 folders of a 10,000-deployment fleet; a folder holding a folder that is on the way to no owned file (its
    /// link count says so) has its names listed, and that folder is walked by name. A folder its status does not prove
    /// (on another device, a change time in whole seconds) is signed by its names. By content: every name in the
    /// folder, listed (never through a link), with what it is. The content of a file the gate does not own is never read.
    /// </para>
    /// </summary>
    private static (string Digest, long LatestChange) SignTree(string root, List<OwnedPath> owned, ulong? device)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var separator = Path.DirectorySeparatorChar;
        var depth = 0;
        for (var at = root.TrimEnd(separator); !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at), depth++)
        {
            var kind = EntryKind(at);
            if (kind != 'd')
            {
                AddText(hash, "way " + depth.ToString(CultureInfo.InvariantCulture) + " " + kind);
            }
        }

        var latest = long.MinValue;
        if (device is not { } local)
        {
            SignNames(hash, root, string.Empty, recurse: true);
            return (Hex(hash.GetHashAndReset()), latest);
        }

        var status = new byte[FileStatus.Size];
        var folders = FoldersOf(owned);
        var links = new Dictionary<string, uint>(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var path = folder.Length == 0 ? root : Path.Combine(root, folder.Replace('/', separator));
            AddText(hash, "folder " + folder);
            var kind = FileStatus.Read(Encoding.UTF8.GetBytes(path + "\0"), status);
            if (kind == FileStatus.Kind.Folder)
            {
                present.Add(folder);
            }

            if (kind == FileStatus.Kind.Folder && FileStatus.HasRecordedFields(status))
            {
                var (changed, wholeSeconds, onDevice) = FileStatus.Describe(status);
                if (onDevice == local && !wholeSeconds)
                {
                    hash.AppendData(FileStatus.Recorded(status));
                    latest = Math.Max(latest, changed);
                    if (FileStatus.Links(status) is { } count)
                    {
                        links[folder] = count;
                    }

                    continue;
                }
            }

            AddText(hash, "kind " + kind.ToString());
            if (kind is FileStatus.Kind.Folder or FileStatus.Kind.Unknown)
            {
                SignNames(hash, root, folder, recurse: false);
            }
        }

        // A folder holding a folder none of the gate's files are in (a folder of someone else's): a name added inside
        // that one moves only its own change time, which is not signed above. Where folders are counted in their
        // parent's links (ext4, xfs and tmpfs among them: two, and one per folder in it), a folder with more than the signed
        // folders in it has its names listed, and those folders are walked by name. (btrfs and overlayfs report one
        // link for a folder: there such a folder is seen at the next build that runs the gate.)
        var children = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var folder in present.Where(f => f.Length > 0))
        {
            var up = folder.LastIndexOf('/');
            var parent = up < 0 ? string.Empty : folder.Substring(0, up);
            children[parent] = (children.TryGetValue(parent, out var n) ? n : 0) + 1;
        }

        foreach (var folder in folders)
        {
            if (links.TryGetValue(folder, out var count) && count >= 2 && count - 2 > (uint)(children.TryGetValue(folder, out var n) ? n : 0))
            {
                AddText(hash, "others in " + folder);
                SignForeignFolders(hash, root, folder, present);
            }
        }

        return (Hex(hash.GetHashAndReset()), latest);
    }

    /// <summary>
    /// The folder (<c>""</c>) and every folder on the way to an owned path, '/'-separated, in ordinal order. The index
    /// lists paths in order, so most paths share the previous one's folder and are not decoded again.
    /// </summary>
    private static List<string> FoldersOf(List<OwnedPath> owned)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
        byte[]? previous = null;
        int previousStart = 0, previousLength = -1;
        foreach (var path in owned)
        {
            var slash = Array.LastIndexOf(path.Bytes, (byte)'/', path.Start + path.Length - 1, path.Length);
            var length = slash - path.Start;
            if (slash < 0 || length <= 0)
            {
                continue;
            }

            if (previous is not null && length == previousLength && SameBytes(previous, previousStart, path.Bytes, path.Start, length))
            {
                continue;
            }

            (previous, previousStart, previousLength) = (path.Bytes, path.Start, length);
            for (var folder = Encoding.UTF8.GetString(path.Bytes, path.Start, length); folder.Length > 0 && folders.Add(folder);)
            {
                var up = folder.LastIndexOf('/');
                folder = up < 0 ? string.Empty : folder.Substring(0, up);
            }
        }

        var sorted = folders.ToList();
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    private static bool SameBytes(byte[] a, int aStart, byte[] b, int bStart, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (a[aStart + i] != b[bStart + i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Adds the names in <paramref name="relative"/>, and every name below each folder in it that is not one of the
    /// <paramref name="signed"/> folders.
    /// </summary>
    private static void SignForeignFolders(IncrementalHash hash, string root, string relative, HashSet<string> signed)
    {
        SignNames(hash, root, relative, recurse: false);
        var path = relative.Length == 0 ? root : Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
        List<string> folders;
        try
        {
            folders = new DirectoryInfo(path).EnumerateDirectories()
                .Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)
                .Select(d => relative.Length == 0 ? d.Name : relative + "/" + d.Name)
                .Where(f => !signed.Contains(f))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            AddText(hash, "unlistable " + relative);
            return;
        }

        folders.Sort(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            SignNames(hash, root, folder, recurse: true);
        }
    }

    /// <summary>
    /// Adds the names in <paramref name="relative"/> (in ordinal order) with what each is: a folder ('d'; with
    /// <paramref name="recurse"/>, its names follow, folder by folder, without recursion however deep the tree), a
    /// link ('l', never followed), a pipe, socket or device ('s', on Linux), a file ('f'), or a folder that could not be listed.
    /// </summary>
    private static void SignNames(IncrementalHash hash, string root, string relative, bool recurse)
    {
        var pending = new Stack<string>();
        pending.Push(relative);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            var path = current.Length == 0 ? root : Path.Combine(root, current.Replace('/', Path.DirectorySeparatorChar));
            List<(string Name, char Kind)> entries;
            try
            {
                // A pipe, a socket or a device ('s') is told from a file: one put in place of a file of the same name
                // changes no name, and a full run refuses it (CAC9011).
                entries = new DirectoryInfo(path).EnumerateFileSystemInfos()
                    .Select(e => (e.Name, (e.Attributes & FileAttributes.ReparsePoint) != 0 ? 'l' : (e.Attributes & FileAttributes.Directory) != 0 ? 'd' : FileStatus.IsSpecial(e.FullName) ? 's' : 'f'))
                    .ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                AddText(hash, "unlistable " + current);
                continue;
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            AddText(hash, "in " + current);
            for (var i = entries.Count - 1; i >= 0; i--)
            {
                if (recurse && entries[i].Kind == 'd')
                {
                    pending.Push(current.Length == 0 ? entries[i].Name : current + "/" + entries[i].Name);
                }
            }

            foreach (var (name, kind) in entries)
            {
                AddText(hash, kind + " " + name);
            }
        }
    }

    /// <summary>'d' for a folder, 'l' for a link (never followed), 'a' for nothing there, 'f' for anything else, '?' unreadable.</summary>
    private static char EntryKind(string path)
    {
        try
        {
            var attributes = System.IO.File.GetAttributes(path);
            return (attributes & FileAttributes.ReparsePoint) != 0 ? 'l' : (attributes & FileAttributes.Directory) != 0 ? 'd' : 'f';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 'a';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return '?';
        }
    }

    private static void AddText(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        hash.AppendData(BitConverter.GetBytes(bytes.Length));
        hash.AppendData(bytes);
    }

    /// <summary>
    /// One run's digest of the records of <paramref name="files"/>[<paramref name="from"/>..<paramref name="to"/>), and
    /// the latest change time among those signed by their status alone. Compiled optimized at once: the task runs once
    /// per build process, so tiered compilation would leave the loop in unoptimized code for most of its 73,400 files.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Optimized)]
    private static (byte[] Digest, long LatestChange) SignRun(string root, byte[] rootUtf8, List<OwnedPath> files, int from, int to, ulong? device)
    {
        using var records = new Records();
        using var content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        var status = new byte[FileStatus.Size];
        var path = new byte[4096];
        Buffer.BlockCopy(rootUtf8, 0, path, 0, rootUtf8.Length);
        var latestChange = long.MinValue;
        for (var i = from; i < to; i++)
        {
            // Each file adds a record no other folder state can feed: its path after its length, the kind of state,
            // and that state, whose length the kind fixes.
            var relative = files[i];
            var length = relative.Length;
            records.Add(length);
            if (rootUtf8.Length + length + 1 > path.Length)
            {
                path = new byte[rootUtf8.Length + length + 1];
                Buffer.BlockCopy(rootUtf8, 0, path, 0, rootUtf8.Length);
            }

            Buffer.BlockCopy(relative.Bytes, relative.Start, path, rootUtf8.Length, length);
            records.Add(path, rootUtf8.Length, length);
            path[rootUtf8.Length + length] = 0;
            var state = device is { } local
                ? SignStatus(content, path, root, relative, buffer, status, local, ref latestChange)
                : SignContent(content, Local(root, relative), buffer);
            records.Add((byte)state);
            if (state is State.Status or State.StatusAndContent)
            {
                AddRecord(records, status);
            }

            if (state is State.Content or State.StatusAndContent)
            {
                records.Add(content.GetHashAndReset());
            }
        }

        return (records.Finish(), latestChange);
    }

    private const string StateFolder = ".configascode";

    /// <summary>What a file's record holds after its path: the kind decides the length of what follows.</summary>
    private enum State : byte
    {
        Absent = 1,
        Link = 2,
        Unreadable = 3,
        Content = 4,          // its content's digest
        Status = 5,           // the status fields statx gave
        StatusAndContent = 6, // both
    }

    internal static string Hex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Records collected in a buffer and handed to one SHA-256 when it is nearly full.</summary>
    private sealed class Records : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _pending = new byte[64 * 1024];
        private int _filled;

        public void Add(int value)
        {
            Reserve(4);
            for (var i = 0; i < 4; i++)
            {
                _pending[_filled++] = (byte)(value >> (8 * i));
            }
        }

        public void Add(byte value)
        {
            Reserve(1);
            _pending[_filled++] = value;
        }

        public void Add(byte[] bytes, int offset, int count)
        {
            if (count > _pending.Length)
            {
                Flush();
                _hash.AppendData(bytes, offset, count);
                return;
            }

            Reserve(count);
            Buffer.BlockCopy(bytes, offset, _pending, _filled, count);
            _filled += count;
        }

        public void Add(byte[] digest) => Add(digest, 0, digest.Length);

        public byte[] Finish()
        {
            Flush();
            return _hash.GetHashAndReset();
        }

        public void Dispose() => _hash.Dispose();

        private void Reserve(int count)
        {
            if (count > _pending.Length - _filled)
            {
                Flush();
            }
        }

        private void Flush()
        {
            _hash.AppendData(_pending, 0, _filled);
            _filled = 0;
        }
    }

    /// <summary>
    /// The file's status as <c>statx</c> reports it, left in <paramref name="status"/> (and its content too when its
    /// change time has no sub-second part); or absent, a link (never followed) or unreadable (a pipe or a device, never
    /// opened). A file the status does not fully describe, or one on another device than the folder (a mount inside
    /// it), is signed by its content. <paramref name="latest"/> keeps the latest change among the files signed by their
    /// status alone. <paramref name="path"/> is the file's UTF-8 path, ended by a NUL.
    /// </summary>
    private static State SignStatus(IncrementalHash content, byte[] path, string root, OwnedPath relative, byte[] buffer, byte[] status, ulong device, ref long latest)
    {
        switch (FileStatus.Read(path, status))
        {
            case FileStatus.Kind.Absent:
            case FileStatus.Kind.Folder:
                return State.Absent; // a folder where a file is owned reads as absent, as with the content signature
            case FileStatus.Kind.Link:
                return State.Link;
            case FileStatus.Kind.Special:
                return State.Unreadable;
            case FileStatus.Kind.Unknown:
                return SignContent(content, Local(root, relative), buffer);
        }

        var (changed, wholeSeconds, onDevice) = FileStatus.Describe(status);
        if (onDevice != device)
        {
            return SignContent(content, Local(root, relative), buffer);
        }

        if (wholeSeconds)
        {
            var read = SignContent(content, Local(root, relative), buffer);
            return read == State.Content ? State.StatusAndContent : read;
        }

        latest = Math.Max(latest, changed);
        return State.Status;
    }

    private static string Local(string root, OwnedPath relative) => Path.Combine(root, relative.Text().Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// A path the gate owns, relative to the folder: UTF-8 bytes where the index holds them (never decoded to text and
    /// encoded again for each file: at 10,000 deployments that was a third of reading the index).
    /// </summary>
    private readonly struct OwnedPath
    {
        public OwnedPath(byte[] bytes, int start, int length) => (Bytes, Start, Length) = (bytes, start, length);

        public byte[] Bytes { get; }

        public int Start { get; }

        public int Length { get; }

        public static OwnedPath Of(string path)
        {
            var bytes = Encoding.UTF8.GetBytes(path);
            return new OwnedPath(bytes, 0, bytes.Length);
        }

        public string Text() => Encoding.UTF8.GetString(Bytes, Start, Length);
    }

    /// <summary>Adds a file's content to <paramref name="content"/>, or says it is absent, a link (never followed) or unreadable.</summary>
    private static State SignContent(IncrementalHash content, string path, byte[] buffer)
    {
        try
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                return State.Absent; // nothing there: the attributes read as -1, which has the link bit
            }

            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                return State.Link;
            }

            if (!info.Exists)
            {
                return State.Absent; // a folder where a file is owned
            }

            if (FileStatus.IsSpecial(path))
            {
                return State.Unreadable; // a pipe would wait for a writer, a device never end: never opened
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                content.AppendData(buffer, 0, read);
            }

            return State.Content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            content.GetHashAndReset(); // what was read before the failure must not reach the next file's digest
            return State.Unreadable;
        }
    }

    /// <summary>
    /// The paths the index lists (never read through a link or from a pipe), none when it is absent or unreadable; and
    /// whether they are exactly the paths the host reads from it. They are not when a key or a path value has a JSON
    /// escape (the host unescapes both), or a path is one the gate never writes and this reader skips (a parent folder,
    /// an absolute path, a colon, a control character) or is not UTF-8 (the host's reader refuses it): the gate writes
    /// none of these.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Optimized)]
    private static (List<OwnedPath> Paths, bool Exact) OwnedPaths(string index)
    {
        var paths = new List<OwnedPath>();
        byte[] bytes;
        try
        {
            // Never through a link (a committed one to /dev/zero would never end) nor from a pipe (which would wait for
            // a writer): the host refuses both (CAC9011).
            var info = new FileInfo(index);
            bytes = info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0 && !FileStatus.IsSpecial(index) ? File.ReadAllBytes(index) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (paths, true);
        }

        var exact = !HasEscapedKey(bytes);

        // The index is JSON; its paths are the values of "path" keys. A damaged one is the host's to report. Found in
        // the UTF-8 bytes, from the colon after each key: colons are few (two per file) and Array.IndexOf finds them
        // with vector instructions on .NET, where a loop over every byte of the 12 MB index of 10,000 deployments took
        // 40 ms (a regex took 0.4 s, and decoding the whole index 0.1 s). A "path" key cannot be mistaken inside a
        // string: there its quotes would be escaped.
        var colon = -1;
        var resume = 0; // where the text after the last path read starts: a key never begins inside that path
        while ((colon = Array.IndexOf(bytes, (byte)':', colon + 1)) >= 0)
        {
            var key = colon - 1;
            while (key >= 0 && IsSpace(bytes[key]))
            {
                key--;
            }

            key -= PathKey.Length - 1;
            if (key < resume || !IsPathKey(bytes, key))
            {
                continue;
            }

            var i = SkipSpace(bytes, colon + 1);
            if (i >= bytes.Length || bytes[i] != (byte)'"')
            {
                continue;
            }

            var (end, escaped) = EndOfString(bytes, i + 1);
            if (end >= bytes.Length)
            {
                break;
            }

            (colon, resume) = (end, end + 1); // a colon inside the path is not a key's
            var path = new OwnedPath(bytes, i + 1, end - i - 1);

            // A path no file system accepts (a control character, or one .NET Framework refuses in a path) would
            // throw from Path.Combine or FileInfo: a task stack trace instead of the host's CAC9011 for the index.
            if (!escaped && Usable(path))
            {
                paths.Add(path);
            }
            else
            {
                exact = false;
            }
        }

        return (paths, exact);
    }

    /// <summary>
    /// True when the gate could have written <paramref name="path"/>: not empty, relative, without a parent folder, a
    /// colon, a character a file system refuses, or bytes that are not UTF-8 (the host's JSON reader refuses those).
    /// </summary>
    private static bool Usable(OwnedPath path)
    {
        var (bytes, start, end) = (path.Bytes, path.Start, path.Start + path.Length);
        if (path.Length == 0 || bytes[start] == (byte)'/')
        {
            return false;
        }

        var ascii = true;
        for (var i = start; i < end; i++)
        {
            var b = bytes[i];
            if (b >= 0x80)
            {
                ascii = false;
            }
            else if (UnusableAscii[b] || b == (byte)':' || (b == (byte)'.' && i + 1 < end && bytes[i + 1] == (byte)'.'))
            {
                return false;
            }
        }

        if (ascii)
        {
            return true;
        }

        try
        {
            return StrictUtf8.GetString(bytes, start, path.Length).IndexOfAny(Unusable) < 0;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsPathKey(byte[] bytes, int at)
    {
        for (var k = 0; k < PathKey.Length; k++)
        {
            if (bytes[at + k] != PathKey[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the '"' that ends the JSON string whose text starts at <paramref name="from"/>, and whether it has an escape.</summary>
    private static (int End, bool Escaped) EndOfString(byte[] bytes, int from)
    {
        var escaped = false;
        var end = from;
        while (end < bytes.Length && bytes[end] != (byte)'"')
        {
            if (bytes[end] == (byte)'\\')
            {
                escaped = true;
                end++; // the escaped character, a '"' among them, does not end the string
            }

            end++;
        }

        return (Math.Min(end, bytes.Length), escaped);
    }

    /// <summary>
    /// True when a key of the JSON text has an escape (<c>"p\u0061th"</c> is a "path" key to the host). A backslash
    /// appears only inside strings and is rare (a platform name the writer escaped): each one's string is checked.
    /// </summary>
    private static bool HasEscapedKey(byte[] bytes)
    {
        for (var at = Array.IndexOf(bytes, (byte)'\\'); at >= 0 && at < bytes.Length; at = Array.IndexOf(bytes, (byte)'\\', at))
        {
            var (end, _) = EndOfString(bytes, at);
            var next = SkipSpace(bytes, end + 1);
            if (end >= bytes.Length || (next < bytes.Length && bytes[next] == (byte)':'))
            {
                return true; // an escaped key, or a string that never ends (a damaged index the host reports)
            }

            at = end + 1;
            if (at >= bytes.Length)
            {
                break;
            }
        }

        return false;
    }

    private static readonly byte[] PathKey = Encoding.ASCII.GetBytes("\"path\"");

    private static readonly char[] Unusable = Path.GetInvalidPathChars().Concat(Enumerable.Range(0, 32).Select(c => (char)c)).Concat(['*', '?', '|', '<', '>', '"']).Distinct().ToArray();

    // The ASCII ones, by byte (all of them on every platform today; a path with bytes above 0x7f is decoded and checked
    // against the whole list).
    private static readonly bool[] UnusableAscii = Enumerable.Range(0, 128).Select(b => Unusable.Contains((char)b)).ToArray();

    // JSON's white space: space, tab, line feed and carriage return.
    private static int SkipSpace(byte[] bytes, int i)
    {
        while (i < bytes.Length && IsSpace(bytes[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>
    /// The fields the signature records, as statx gave them (<see cref="FileStatus.RecordedFields"/>): inode and size,
    /// change and modification time, and the device; never the access time, which reading a file moves.
    /// </summary>
    private static void AddRecord(Records records, byte[] status)
    {
        foreach (var (offset, length) in FileStatus.RecordedFields)
        {
            records.Add(status, offset, length);
        }
    }
}
