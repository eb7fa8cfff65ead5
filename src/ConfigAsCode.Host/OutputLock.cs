using System;
using System.IO;
using System.Threading;

namespace ConfigAsCode.Host;

/// <summary>
/// One run at a time per output folder: two builds of the same project (a terminal and an IDE, or parallel CI legs
/// sharing a workspace) would otherwise write and clean the same files under each other.
/// </summary>
internal static class OutputLock
{
    public const string Name = "configascode.lock";

    /// <summary>The held lock, or null when another run kept it for <paramref name="wait"/>.</summary>
    public static IDisposable? Acquire(string outputDirectory, TimeSpan wait, Action<string> progress)
    {
        var path = Path.Combine(outputDirectory, Name);
        var deadline = DateTime.UtcNow + wait;
        progress("waiting for another build of this project");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
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
