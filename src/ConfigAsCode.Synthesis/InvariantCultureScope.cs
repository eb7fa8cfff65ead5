using System;
using System.Globalization;

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
}
