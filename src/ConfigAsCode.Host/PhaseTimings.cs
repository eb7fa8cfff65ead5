using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace ConfigAsCode.Host;

/// <summary>
/// How long each step of a run took (<c>validating 812 ms, rendering 1,950 ms, …</c>), printed at normal verbosity
/// (<c>-v:n</c>) so a slow gate can be diagnosed without a profiler. Steps with the same name are added up.
/// </summary>
internal sealed class PhaseTimings
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Phase, long Milliseconds)> _phases = [];
    private readonly object _gate = new();
    private string _current = "starting";
    private long _started;

    public void Enter(string phase)
    {
        lock (_gate)
        {
            var now = _clock.ElapsedMilliseconds;
            _phases.Add((_current, now - _started));
            (_current, _started) = (phase, now);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            // Platform names vary; their evaluation steps are summed under one heading.
            return string.Join(", ", _phases
                .GroupBy(p => p.Phase.StartsWith("enumerating ", System.StringComparison.Ordinal) || p.Phase.StartsWith("evaluating ", System.StringComparison.Ordinal) || p.Phase.StartsWith("constructing ", System.StringComparison.Ordinal) ? "evaluating the platforms" : p.Phase)
                .Select(g => $"{g.Key} {g.Sum(p => p.Milliseconds).ToString("N0", CultureInfo.InvariantCulture)} ms"))
                + $"; total {_clock.ElapsedMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} ms"
                + $" (garbage collection: {System.GC.CollectionCount(0).ToString("N0", CultureInfo.InvariantCulture)} collections, {System.GC.GetTotalPauseDuration().TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} ms paused, {(System.GC.GetTotalAllocatedBytes() >> 20).ToString("N0", CultureInfo.InvariantCulture)} MB allocated)";
        }
    }
}
