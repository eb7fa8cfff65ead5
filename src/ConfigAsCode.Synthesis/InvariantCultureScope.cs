using System;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace ConfigAsCode.Synthesis;

/// <summary>
/// Runs a step under the invariant culture and restores the caller's: output (messages, YAML, reports) must not
/// depend on the culture of the machine that builds.
/// </summary>
internal static class InvariantCultureScope
{
    public static T Run<T>(Func<T> step)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return step();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every index below <paramref name="count"/> on the thread pool, each under the
    /// invariant culture (the pool's threads do not inherit the caller's). Fails as the loop in order would: with the
    /// exception of the lowest index that threw, as itself, never wrapped; no index above it is started after it threw.
    /// </summary>
    public static void ForEach(int count, Action<int> body)
    {
        var failures = new ExceptionDispatchInfo?[count];
        Parallel.For(0, count, (i, loop) =>
        {
            var previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            try
            {
                body(i);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
                loop.Break();
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        });

        Array.Find(failures, f => f is not null)?.Throw();
    }
}
