using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigAsCode.Build;

/// <summary>
/// Starts signing the snapshot folder (<see cref="SnapshotSignature"/>) when the build starts, on another thread, so the
/// 73,400 file status reads of a 10,000-deployment fleet overlap the compiler's up-to-date checks instead of adding to
/// every no-op build; <see cref="WriteConfigAsCodeInputs"/> takes the result. The folder is signed as it is when the
/// build starts: a snapshot edited while the build runs is seen by the next build (as an edit after the signing always
/// was). When the gate then runs, <c>_ConfigAsCodeRun</c> signs the folder again just before the host reads it
/// (<see cref="WriteConfigAsCodeInputs.ResignSnapshots"/>), so the stamp a passing run leaves vouches for the folder as
/// the host read it. Where MSBuild cannot hand the work from one task to the other (an out-of-process task host, an
/// engine without registered task objects), <see cref="WriteConfigAsCodeInputs"/> signs the folder itself, as before;
/// the targets do not start it where tasks run in a task host (<c>_ConfigAsCodeTaskFactory</c>).
/// </summary>
public sealed class BeginConfigAsCodeSignature : Task
{
    /// <summary>
    /// The snapshot folder to sign. The targets pass one full path (<c>_ConfigAsCodeSnapshotFolder</c>: the setting taken
    /// from the project folder as MSBuild spells it), the same to this task, the inputs task and the host. A relative one
    /// is resolved here, on the build's thread, against the working directory MSBuild sets to the project's folder while
    /// its targets run, as the inputs task resolves it; never on the signing thread, by when MSBuild may be building
    /// another project in another working directory.
    /// </summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>What <see cref="WriteConfigAsCodeInputs.SignatureTicket"/> passes to take the signature (empty when none was started).</summary>
    [Output]
    public string Ticket { get; set; } = string.Empty;

    public override bool Execute()
    {
        // Only ever a head start: whatever stops it (a folder that cannot be resolved, an engine that refuses the
        // object), _ConfigAsCodePrepare signs the folder itself and reports what it meets.
        try
        {
            var folder = string.IsNullOrEmpty(SnapshotDirectory) ? null : Path.GetFullPath(SnapshotDirectory);
            var ticket = "ConfigAsCode.SnapshotSignature." + Guid.NewGuid().ToString("N");
            if (PendingSignature.Start(BuildEngine, ticket, folder))
            {
                Ticket = ticket;
            }
        }
        catch (Exception e)
        {
            Log.LogMessage(MessageImportance.Low, $"ConfigAsCode: the snapshot folder is signed after the build instead ({e.GetType().Name}).");
        }

        return true;
    }
}

/// <summary>
/// A signature being worked out on another thread, registered with the build engine for the length of the build under a
/// ticket only the project instance that started it knows (a new one per start: two projects, or two target frameworks
/// of one project, never share a signature).
/// </summary>
internal sealed class PendingSignature
{
    private readonly System.Threading.Tasks.Task<string> _signing;

    private PendingSignature(string? folder, System.Threading.Tasks.Task<string> signing)
    {
        Folder = folder;
        _signing = signing;
    }

    /// <summary>The full path of the folder being signed (null when none was named).</summary>
    public string? Folder { get; }

    /// <summary>
    /// Starts signing <paramref name="folder"/> (a full path, or null for none: a relative path is refused, since the
    /// working directory belongs to whichever project MSBuild is building) and registers it under
    /// <paramref name="ticket"/>; false when it was not started or the engine cannot hold it.
    /// </summary>
    public static bool Start(IBuildEngine engine, string ticket, string? folder, Func<string?, string>? sign = null)
    {
        if (engine is not IBuildEngine4 registry || (folder is not null && !Path.IsPathRooted(folder)))
        {
            return false;
        }

        var signing = System.Threading.Tasks.Task.Run(() => (sign ?? (f => SnapshotSignature.Sign(f)))(folder));

        // A build that stops before taking it (a compile error) leaves a failure nobody reads: it is observed here, so
        // it is never raised again when the task is collected.
        signing.ContinueWith(done => _ = done.Exception, System.Threading.CancellationToken.None, System.Threading.Tasks.TaskContinuationOptions.OnlyOnFaulted | System.Threading.Tasks.TaskContinuationOptions.ExecuteSynchronously, System.Threading.Tasks.TaskScheduler.Default);
        try
        {
            registry.RegisterTaskObject(ticket, new PendingSignature(folder, signing), RegisteredTaskObjectLifetime.Build, allowEarlyCollection: false);
            return true;
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or InvalidOperationException)
        {
            // An engine that cannot hold it: the signing finishes unread, and the folder is signed where it is needed.
            return false;
        }
    }

    /// <summary>
    /// The signature started under <paramref name="ticket"/> for the same folder, or null when there is none (no ticket,
    /// another engine, another folder) or the signing failed: the caller then signs the folder itself, so a failure
    /// shows exactly as it did without this. The ticket is taken once.
    /// </summary>
    public static string? Take(IBuildEngine engine, string? ticket, string? folder)
    {
        if (string.IsNullOrEmpty(ticket) || engine is not IBuildEngine4 registry)
        {
            return null;
        }

        PendingSignature? pending;
        try
        {
            pending = registry.UnregisterTaskObject(ticket, RegisteredTaskObjectLifetime.Build) as PendingSignature;
        }
        catch (Exception)
        {
            // Whatever the engine does with an object it never held, the folder is signed by the caller.
            return null;
        }

        if (pending is null || !SameFolder(pending.Folder, folder))
        {
            return null;
        }

        try
        {
            return pending._signing.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Whatever went wrong is met again, and reported, when the caller signs the folder itself.
            return null;
        }
    }

    private static bool SameFolder(string? started, string? asked)
    {
        if (string.IsNullOrEmpty(started) || string.IsNullOrEmpty(asked))
        {
            return string.IsNullOrEmpty(started) && string.IsNullOrEmpty(asked);
        }

        try
        {
            return string.Equals(Path.GetFullPath(started!), Path.GetFullPath(asked!), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }
}
