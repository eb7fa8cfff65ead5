using System.IO;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Reads a file a user names by path (a price file, a cost baseline, a base report, an analyzer config file). A pipe,
/// a socket or a device there, directly or at the end of a link, is never opened: reading a pipe waits for a writer
/// forever and a device such as <c>/dev/zero</c> never ends, so the build would hang until the host's time limit.
/// </summary>
public static class UserFile
{
    /// <summary>The file's bytes; an <see cref="IOException"/> that says so for a pipe, socket or device.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        // Judged through the links as the kernel follows them, as the read below would: a link loop or an unreadable
        // link is left to the read, which reports it.
        if (FileStatus.IsSpecial(path, followLinks: true))
        {
            throw new IOException($"'{Path.GetFileName(path)}' is a pipe, a socket or a device, which ConfigAsCode never reads (it could wait forever)");
        }

        return File.ReadAllBytes(path);
    }
}
