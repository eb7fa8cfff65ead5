using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Linux's <c>statx</c>, whose record has one layout on every architecture (unlike <c>stat</c>'s), read without
/// following a link at the file itself (the host refuses links anywhere in the folder); and <c>statfs</c>, for the
/// folder's file system. netstandard2.0 has no change time, and .NET has no API for it on any target. Shared by the
/// task's snapshot signature (linked into ConfigAsCode.Build) and the host's proof that the snapshot folder's listing
/// is unchanged (<see cref="VerdictReuse"/>), so both trust the same fields on the same file systems.
/// </summary>
internal static class FileStatus
{
    public const int Size = 256;

    /// <summary>
    /// Longer than a tick of the kernel's file time clock (1 to 10 ms, the scheduler's tick) with room to spare: what
    /// changed less than this before a reading began may change again without moving its change time.
    /// </summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    /// <summary><see cref="Tick"/> in nanoseconds, the unit of change times.</summary>
    public static long TickNanoseconds => Tick.Ticks * 100;

    /// <summary>Nanoseconds since 1970 (UTC), the unit of the change times statx reports.</summary>
    public static long UnixNanoseconds(DateTime utc) => (utc.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks * 100;

    /// <summary>True when statx filled in every field a status is compared by (the type, inode, size and both times).</summary>
    public static bool HasRecordedFields(byte[] status) => (BitConverter.ToUInt32(status, 0) & Needed) == Needed;

    public enum Kind
    {
        File,
        Absent,
        Folder,
        Link,
        Special,
        Unknown,
    }

    private const int CurrentFolder = -100;   // AT_FDCWD
    private const int NoFollow = 0x100;       // AT_SYMLINK_NOFOLLOW
    private const uint TypeField = 0x1;       // STATX_TYPE
    private const uint Needed = 0x1 | 0x40 | 0x80 | 0x100 | 0x200; // STATX_TYPE, STATX_MTIME, STATX_CTIME, STATX_INO, STATX_SIZE

    // What is asked for: the fields above and the link count (STATX_NLINK), which Links reads. A file system that
    // honours the request mask would otherwise leave it out, and folders of someone else's would go unseen.
    private const uint Requested = Needed | 0x4;
    private const int NoEntry = 2;            // ENOENT
    private const int NotAFolder = 20;        // ENOTDIR

    // File systems on the machine's own disks or memory, whose change time the kernel sets from its own clock and
    // reports fresh (statfs's f_type, linux/magic.h; ZFS's from OpenZFS). A network or virtual file system (NFS,
    // SMB, 9p and drvfs under WSL, virtiofs, FUSE) may report cached times, take them from another machine's
    // clock, or let a program set them: its files are signed by their content.
    private static readonly HashSet<uint> LocalFileSystems =
    [
        0xEF53,      // ext2, ext3, ext4
        0x58465342,  // xfs
        0x9123683E,  // btrfs
        0x01021994,  // tmpfs
        0x794C7630,  // overlayfs (containers)
        0xF2F52010,  // f2fs
        0x2FC12FC1,  // zfs
    ];

    /// <summary>
    /// The folder's device when <c>statx</c> can be called here, reports what the signature needs, and the folder
    /// is on a local file system; null otherwise (every file is then signed by its content).
    /// </summary>
    public static ulong? LocalDevice(string folder)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return null;
        }

        try
        {
            var status = new byte[Size];
            var system = new byte[512];
            if (Native(CurrentFolder, folder, NoFollow, Requested, status) != 0 || (BitConverter.ToUInt32(status, 0) & Needed) != Needed
                || FileSystem(Encoding.UTF8.GetBytes(folder + "\0"), system) != 0)
            {
                return null;
            }

            // f_type is the first field: a C long on most 64-bit systems, whose low half comes first on the little-
            // endian ones, and a 32-bit integer on 32-bit systems and on s390x. The magic numbers fit in 32 bits.
            // A big-endian long would read as 0 here: signed by content, never wrongly by status.
            var type = BitConverter.ToUInt32(system, 0);
            return LocalFileSystems.Contains(type) ? Device(status) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return null; // an old C library without statx (before glibc 2.28): signed by content
        }
    }

    /// <summary>Reads the status of the file at <paramref name="path"/> (UTF-8, ended by a NUL) into <paramref name="status"/>.</summary>
    public static Kind Read(byte[] path, byte[] status) => Read(path, status, NoFollow);

    private static Kind Read(byte[] path, byte[] status, int flags)
    {
        if (Native(CurrentFolder, path, flags, Requested, status) != 0)
        {
            // Anything but "not there" (a permission, an I/O error) is left to the content signature.
            var error = Marshal.GetLastWin32Error();
            return error is NoEntry or NotAFolder ? Kind.Absent : Kind.Unknown;
        }

        // The type first: a pipe or a device is never opened, even when the file system left out another field.
        var kind = (BitConverter.ToUInt32(status, 0) & TypeField) == 0 ? Kind.Unknown : (BitConverter.ToUInt16(status, 28) & 0xF000) switch
        {
            0x8000 => Kind.File,
            0xA000 => Kind.Link,
            0x4000 => Kind.Folder,
            _ => Kind.Special, // a pipe or a device where a snapshot is owned: never opened here
        };
        return kind == Kind.File && (BitConverter.ToUInt32(status, 0) & Needed) != Needed
            ? Kind.Unknown // the file system left out a field the signature needs: signed by content
            : kind;
    }

    /// <summary>
    /// True when, on Linux, <paramref name="path"/> is a pipe, a socket or a device (opening one could wait forever):
    /// such a file is never opened. False elsewhere and when its type cannot be read (the open then decides). With
    /// <paramref name="followLinks"/>, a link is judged by what the kernel reaches through it, as an open would (a
    /// relative link in a linked folder resolves from the folder it really is in, not from the path as spelled).
    /// </summary>
    public static bool IsSpecial(string path, bool followLinks = false)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return false;
        }

        try
        {
            return Read(Encoding.UTF8.GetBytes(path + "\0"), new byte[Size], followLinks ? 0 : NoFollow) == Kind.Special;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The change time (nanoseconds since 1970), whether it is a whole second (a file system that keeps no finer
    /// time, whose tick no wait here can outlast), and the device.
    /// </summary>
    public static (long Changed, bool WholeSeconds, ulong Device) Describe(byte[] status)
    {
        var (changedSeconds, changedNanoseconds) = (BitConverter.ToInt64(status, 96), BitConverter.ToUInt32(status, 104));

        // A change time beyond the range of nanoseconds is far in the future: the latest possible.
        var changed = changedSeconds >= (long.MaxValue / 1_000_000_000) - 1 ? long.MaxValue
            : changedSeconds <= (long.MinValue / 1_000_000_000) + 1 ? long.MinValue
            : (changedSeconds * 1_000_000_000) + changedNanoseconds;
        return (changed, changedNanoseconds == 0, Device(status));
    }

    /// <summary>
    /// The fields a status is compared by, as (offset, length) in the record statx gave: inode and size (offset 32,
    /// 16 bytes), change and modification time (96, 32 bytes, with the zeroed padding after each nanosecond field) and
    /// the device (136, 8 bytes). The access time (64) is left out: reading a file moves it.
    /// </summary>
    public static readonly (int Offset, int Length)[] RecordedFields = [(32, 16), (96, 32), (136, 8)];

    /// <summary>The <see cref="RecordedFields"/> of a status, in order (56 bytes).</summary>
    public static byte[] Recorded(byte[] status)
    {
        var recorded = new byte[56];
        var at = 0;
        foreach (var (offset, length) in RecordedFields)
        {
            Buffer.BlockCopy(status, offset, recorded, at, length);
            at += length;
        }

        return recorded;
    }

    /// <summary>
    /// The number of links to the file (a folder's is 2 and one per folder in it, on the file systems that count them),
    /// or null when statx did not report it.
    /// </summary>
    public static uint? Links(byte[] status) => (BitConverter.ToUInt32(status, 0) & 0x4) != 0 ? BitConverter.ToUInt32(status, 16) : null; // STATX_NLINK, stx_nlink

    private static ulong Device(byte[] status) => ((ulong)BitConverter.ToUInt32(status, 136) << 32) | BitConverter.ToUInt32(status, 140);

    [DllImport("libc", EntryPoint = "statfs", SetLastError = true)]
    private static extern int FileSystem(byte[] path, [Out] byte[] status);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Native(int folder, byte[] path, int flags, uint mask, [Out] byte[] status);

    // The path as the C library takes it: UTF-8, ended by a NUL (netstandard2.0 cannot marshal strings as UTF-8).
    private static int Native(int folder, string path, int flags, uint mask, byte[] status) =>
        Native(folder, Encoding.UTF8.GetBytes(path + "\0"), flags, mask, status);
}
