using System;
using System.IO;
using System.Threading;

namespace ConfigAsCode.Host;

/// <summary>
/// One run at a time per output folder: two builds of the same project (a terminal and an IDE, or parallel CI legs
/// sharing a workspace) would otherwise write and clean the same files under each other. The lock is a region lock on
/// the lock file (fcntl on Linux, LockFile on Windows), held until the stream is disposed or the process ends: the host
/// turns .NET's open-time flock off there (System.IO.DisableFileLocking, Program.cs), so FileShare.None alone would not
/// exclude anyone. On macOS, where .NET has no region locks, the open-time lock of FileShare.None is the lock.
/// </summary>
internal static class OutputLock
{
    public const string Name = "configascode.lock";

    /// <summary>The held lock, or null when another run kept it for <paramref name="wait"/>.</summary>
    public static IDisposable? Acquire(string outputDirectory, TimeSpan wait, Action<string> progress)
    {
        var path = Path.Combine(outputDirectory, Name);
        var deadline = DateTime.UtcNow + wait;

        // A link planted at the lock's path is removed, not followed: opening it would create or lock its target.
        if (ConfigAsCode.Synthesis.Rendering.ManifestFileWriter.IsLink(path))
        {
            ConfigAsCode.Synthesis.Rendering.ManifestFileWriter.RemoveLink(path);
        }

        progress("waiting for another build of this project");
        while (true)
        {
            try
            {
                if (OperatingSystem.IsMacOS())
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }

                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
                try
                {
                    stream.Lock(0, 1);
                    return stream;
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
